using System.Net;
using Dms.IntegrationTests.Api;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Security;

/// <summary>
/// An upload URL writes once, and the worker processes only the bytes that were uploaded: a document's bytes change
/// only by a new version. (The S3 side, a signed <c>If-None-Match: *</c>, is read from the URL in the unit tests:
/// the local S3 stand-in does not do conditional writes.)
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class UploadReplayTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ApiScenario _scenario = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await ApiScenario.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task Replaying_a_used_upload_url_is_refused_before_and_after_complete_and_the_bytes_stay()
    {
        var original = ApiScenario.RandomBytes(20_000);
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, original, "notes.txt", "text/plain", declareChecksum: false);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        using (var first = await _scenario.UploadAsync(created, new ByteArrayContent(original)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var beforeComplete = await _scenario.UploadAsync(created, new ByteArrayContent(ApiScenario.RandomBytes(original.Length)));
        using var completed = await _scenario.EditorA.PostAsync($"/api/v1/documents/{id}/complete", null, Cancellation);
        using var afterComplete = await _scenario.UploadAsync(created, new ByteArrayContent(ApiScenario.RandomBytes(original.Length)));

        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        foreach (var replay in new[] { beforeComplete, afterComplete })
        {
            var problem = await ApiTests.AssertProblemAsync(replay, HttpStatusCode.Conflict);
            Assert.Equal("urn:dms:problem:upload-url-used", problem.GetProperty("type").GetString());
        }

        await _scenario.PassScanAsync(id);
        Assert.Equal(original, await _scenario.EditorA.GetByteArrayAsync($"/api/v1/documents/{id}/content", Cancellation));
    }

    [Fact]
    public async Task Bytes_changed_in_storage_after_upload_are_not_processed_or_served()
    {
        var original = System.Text.Encoding.UTF8.GetBytes("The contract as it was signed.");
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, original, "contract.txt", "text/plain");
        await _scenario.UploadAndCompleteAsync(_scenario.EditorA, created, original);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        var key = $"{_scenario.TenantA}/documents/{id}/v1/content";
        await File.WriteAllBytesAsync(Path.Combine(_scenario.Api.BlobRoot.FullName, key), System.Text.Encoding.UTF8.GetBytes("The contract as it was forged."), Cancellation);

        await using var worker = WorkerHost.Start(_scenario, postgres.AppConnectionString(_scenario.OwnerConnection), scannerPort: null);
        var end = await PipelineDocuments.WaitForEndStateAsync(_scenario.EditorA, id, TimeSpan.FromMinutes(1), () => worker.Log);

        Assert.Equal("failed", end.Status);
        Assert.Contains("not the one that was uploaded", end.FailureReason);
        using var download = await _scenario.EditorA.GetAsync($"/api/v1/documents/{id}/content", Cancellation);
        var problem = await ApiTests.AssertProblemAsync(download, HttpStatusCode.Conflict);
        Assert.Equal("urn:dms:problem:content-not-scanned", problem.GetProperty("type").GetString());
    }
}
