using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3;
using Dms.Adapters.Aws;
using Dms.IntegrationTests.Api;
using Dms.IntegrationTests.Fixtures;
using Dms.Storage;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Storage;

/// <summary>
/// The document API with <c>Dms:Storage:Provider=S3</c>, against fauxqs: the client uploads to a pre-signed S3 URL and
/// downloads through a redirect; the API never touches the bytes. (fauxqs checks no signatures: see S3BlobStoreTests.)
/// </summary>
public sealed class S3DocumentFlowTests(TemporaryPostgres postgres, Fauxqs fauxqs) : IClassFixture<TemporaryPostgres>, IClassFixture<Fauxqs>
{
    [Fact]
    public async Task A_document_uploaded_to_s3_completes_and_downloads_byte_identical()
    {
        await using var scenario = await StartAsync();
        var bytes = ApiScenario.RandomBytes(200_000);
        var created = await ApiScenario.CreateDocumentAsync(scenario.EditorA, bytes, declareChecksum: false);
        var upload = created.GetProperty("upload");
        Assert.StartsWith(fauxqs.ServiceUrl, upload.GetProperty("url").GetString());

        using var s3Client = new HttpClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, upload.GetProperty("url").GetString()) { Content = new ByteArrayContent(bytes) };
        put.Content.Headers.ContentType = new("application/pdf");
        Assert.True((await s3Client.SendAsync(put, TestContext.Current.CancellationToken)).IsSuccessStatusCode);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        var completed = await scenario.EditorA.PostAsync($"/api/v1/documents/{id}/complete", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        await scenario.PassScanAsync(id);

        using var noRedirects = scenario.Api.CreateDefaultClient();
        noRedirects.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.For(scenario.TenantA, Dms.Contracts.Roles.Viewer));
        var content = await noRedirects.GetAsync($"/api/v1/documents/{id}/content", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, content.StatusCode);
        Assert.Equal(bytes, await s3Client.GetByteArrayAsync(content.Headers.Location, TestContext.Current.CancellationToken));
        var document = await scenario.EditorA.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}", TestContext.Current.CancellationToken);
        Assert.Equal("queued", document.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_large_document_is_uploaded_in_parts_and_completed_with_their_etags()
    {
        await using var scenario = await StartAsync();
        var bytes = ApiScenario.RandomBytes(12 * 1024 * 1024);
        var created = await ApiScenario.CreateDocumentAsync(scenario.EditorA, bytes, declareChecksum: false);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        using var s3Client = new HttpClient();
        var parts = new List<object>();
        foreach (var part in created.GetProperty("upload").GetProperty("parts").EnumerateArray())
        {
            // Each part's URL binds its size (S3 checks the signature; the local stand-in does not).
            Assert.Contains("content-length", System.Web.HttpUtility.ParseQueryString(new Uri(part.GetProperty("url").GetString()!).Query)["X-Amz-SignedHeaders"]!.Split(';'));
            using var content = new ByteArrayContent(bytes, (int)part.GetProperty("offset").GetInt64(), (int)part.GetProperty("sizeBytes").GetInt64());
            var sent = await s3Client.PutAsync(part.GetProperty("url").GetString(), content, TestContext.Current.CancellationToken);
            Assert.True(sent.IsSuccessStatusCode);
            parts.Add(new { partNumber = part.GetProperty("partNumber").GetInt32(), eTag = sent.Headers.ETag!.Tag });
        }

        var withoutParts = await scenario.EditorA.PostAsync($"/api/v1/documents/{id}/complete", null, TestContext.Current.CancellationToken);
        var withParts = await scenario.EditorA.PostAsJsonAsync($"/api/v1/documents/{id}/complete", new { parts }, TestContext.Current.CancellationToken);

        Assert.Equal(3, parts.Count);
        var problem = await ApiTests.AssertProblemAsync(withoutParts, HttpStatusCode.BadRequest);
        Assert.Equal("urn:dms:problem:invalid-parts", problem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, withParts.StatusCode);
        await scenario.PassScanAsync(id);
        using var noRedirects = scenario.Api.CreateDefaultClient();
        noRedirects.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.For(scenario.TenantA, Dms.Contracts.Roles.Viewer));
        var download = await noRedirects.GetAsync($"/api/v1/documents/{id}/content", TestContext.Current.CancellationToken);
        Assert.Equal(bytes, await s3Client.GetByteArrayAsync(download.Headers.Location, TestContext.Current.CancellationToken));
    }

    /// <summary>The API on a bucket of its own, splitting uploads over 6 MiB into 5 MiB parts (fauxqs takes 11 MiB a request).</summary>
    private async Task<ApiScenario> StartAsync()
    {
        var bucket = $"dms-flow-{Guid.NewGuid():N}";
        using (var s3 = S3BlobStore.CreateClient(new S3StorageOptions { Bucket = bucket, ServiceUrl = fauxqs.ServiceUrl }))
        {
            await s3.PutBucketAsync(bucket, TestContext.Current.CancellationToken);
        }

        return await ApiScenario.StartAsync(postgres, settings: new Dictionary<string, string>
        {
            ["Dms:Storage:Provider"] = "S3",
            ["Dms:Storage:S3:Bucket"] = bucket,
            ["Dms:Storage:S3:ServiceUrl"] = fauxqs.ServiceUrl,
            ["Dms:Storage:S3:MultipartThresholdBytes"] = (6L << 20).ToString(),
            ["Dms:Storage:S3:PartSizeBytes"] = (5L << 20).ToString(),
        });
    }
}
