using System.Net;
using Dms.IntegrationTests.Api;
using Dms.IntegrationTests.Fixtures;
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
    public async Task Downloading_right_after_complete_before_the_scan_is_refused()
    {
        var bytes = ApiScenario.RandomBytes(5_000);
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, bytes, "notes.txt", "text/plain");
        await _scenario.UploadAndCompleteAsync(_scenario.EditorA, created, bytes);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();

        foreach (var path in new[] { $"/api/v1/documents/{id}/content", $"/api/v1/documents/{id}/content?version=1" })
        {
            using var response = await _scenario.ViewerA.GetAsync(path, TestContext.Current.CancellationToken);
            var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.Conflict);
            Assert.Equal("urn:dms:problem:content-not-scanned", problem.GetProperty("type").GetString());
        }

        await _scenario.PassScanAsync(id);
        Assert.Equal(bytes, await _scenario.ViewerA.GetByteArrayAsync($"/api/v1/documents/{id}/content", TestContext.Current.CancellationToken));
    }
}
