using System.Net;
using Dms.IntegrationTests.Api;
using Dms.IntegrationTests.Fixtures;
using Dms.Storage;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Security;

/// <summary>Between <c>complete</c> and the scan's verdict (no worker runs here) the bytes are not served, by any route.</summary>
[Collection(PostgresCollection.Name)]
public sealed class UnscannedContentTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ApiScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await ApiScenario.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task Every_route_serving_what_the_bytes_hold_refuses_between_complete_and_the_scan()
    {
        var bytes = ApiScenario.RandomBytes(5_000);
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, bytes, "notes.txt", "text/plain");
        await _scenario.UploadAndCompleteAsync(_scenario.EditorA, created, bytes);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();

        // Text and a thumbnail stored as if the pipeline had made them: the routes refuse for want of a verdict, not of a file.
        await Sql.ScalarAsync(Sql.CrossTenant(_scenario.OwnerConnection), $"""
            INSERT INTO document_texts (tenant_id, document_id, version, text, pages, ocr_pages, extracted_at)
            VALUES ('{_scenario.TenantA}', '{id}', 1, 'Not yet scanned', 1, 0, now())
            """);
        var thumbnail = Path.Combine(_scenario.Api.BlobRoot.FullName, BlobKeys.ForPreview(_scenario.TenantA, id, 1, 0));
        Directory.CreateDirectory(Path.GetDirectoryName(thumbnail)!);
        await File.WriteAllBytesAsync(thumbnail, [0x89, (byte)'P', (byte)'N', (byte)'G'], TestContext.Current.CancellationToken);

        foreach (var route in new[] { "content", "content?version=1", "text", "thumbnail", "pages/1" })
        {
            using var response = await _scenario.ViewerA.GetAsync($"/api/v1/documents/{id}/{route}", TestContext.Current.CancellationToken);
            var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.Conflict);
            Assert.Equal("urn:dms:problem:content-not-scanned", problem.GetProperty("type").GetString());
        }

        await _scenario.PassScanAsync(id);
        Assert.Equal(bytes, await _scenario.ViewerA.GetByteArrayAsync($"/api/v1/documents/{id}/content", TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, (await _scenario.ViewerA.GetAsync($"/api/v1/documents/{id}/text", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _scenario.ViewerA.GetAsync($"/api/v1/documents/{id}/thumbnail", TestContext.Current.CancellationToken)).StatusCode);
    }
}
