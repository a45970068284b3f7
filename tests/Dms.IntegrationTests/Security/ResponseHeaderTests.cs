using System.Net;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Security;

/// <summary>A browser never sniffs a type from an answer, and a downloaded document runs no script with the API's origin.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ResponseHeaderTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ApiScenario _scenario = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await ApiScenario.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task Every_answer_forbids_type_sniffing_problems_and_anonymous_ones_included()
    {
        foreach (var (client, path) in new[] { (_scenario.EditorA, "/api/v1/documents"), (_scenario.EditorA, $"/api/v1/documents/{Guid.NewGuid()}"), (_scenario.Anonymous, "/api/v1/documents") })
        {
            using var response = await client.GetAsync(path, Cancellation);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        }
    }

    [Fact]
    public async Task An_html_document_downloads_as_a_sandboxed_attachment()
    {
        var bytes = "<html><body><script>fetch('/api/v1/documents')</script></body></html>"u8.ToArray();
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, bytes, "page.html", "text/html");
        await _scenario.UploadAndCompleteAsync(_scenario.EditorA, created, bytes);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        await _scenario.PassScanAsync(id);

        using var response = await _scenario.EditorA.GetAsync($"/api/v1/documents/{id}/content", Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("sandbox", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }
}
