using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Security;

/// <summary>
/// Stored script in a document's text comes back from search as text, never as markup; and no query string breaks
/// the search. Documents are processed by a real worker (scanning off) and searched with PostgreSQL full-text search.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SearchInjectionTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private ApiScenario _scenario = null!;
    private WorkerHost _worker = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres));
        var scenario = _scenario;
        _worker = await shared.KeepAsync(() => Task.FromResult(WorkerHost.Start(scenario, postgres.AppConnectionString(scenario.OwnerConnection), scannerPort: null)));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Script_stored_in_a_documents_text_comes_back_escaped_in_search_snippets()
    {
        await UploadAsync("Quarterly notes <img src=x onerror=alert(1)> and <script>alert(2)</script> \u0002trick\u0003", "notes.txt", "text/plain");
        // Escaped in the HTML file, live markup in the text extracted from it.
        await UploadAsync("<html><body><p>Quarterly page &lt;img src=x onerror=alert(3)&gt; end</p></body></html>", "page.html", "text/html");
        await UploadAsync("Only figures: 1 < 2 & 3 > 2", "xylophone.txt", "text/plain", title: "Xylophone");

        var found = await SearchAsync("quarterly");
        var byTitle = await SearchAsync("xylophone");

        var snippets = found.GetProperty("hits").EnumerateArray().SelectMany(h => h.GetProperty("snippets").EnumerateArray()).Select(s => s.GetString()!).ToList();
        snippets.AddRange(byTitle.GetProperty("hits").EnumerateArray().SelectMany(h => h.GetProperty("snippets").EnumerateArray()).Select(s => s.GetString()!));
        Assert.Equal(2, found.GetProperty("total").GetInt64());
        Assert.Equal(1, byTitle.GetProperty("total").GetInt64());
        Assert.True(snippets.Any(s => s.Contains("<mark>Quarterly</mark> notes &lt;img src=x onerror=alert(1)&gt;", StringComparison.Ordinal)), string.Join("\n", snippets));
        Assert.True(snippets.Any(s => s.Contains("page &lt;img src=x onerror=alert", StringComparison.Ordinal)), string.Join("\n", snippets));
        Assert.True(snippets.Any(s => s.Contains("1 &lt; 2 &amp; 3 &gt; 2", StringComparison.Ordinal)), string.Join("\n", snippets));
        Assert.All(snippets, s => Assert.Equal(s.Length, s.Replace("<", "").Length + CountOf(s, "<mark>") + CountOf(s, "</mark>")));
    }

    [Theory]
    [InlineData("ʼ")]
    [InlineData("ŉ")]
    [InlineData("aː")]
    [InlineData("it's")]
    [InlineData("a\\")]
    [InlineData("'")]
    [InlineData(":*")]
    [InlineData("!(&|<->")]
    public async Task Any_query_string_is_answered_never_a_500(string q)
    {
        using var response = await _scenario.EditorA.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}", Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;

    private async Task<JsonElement> SearchAsync(string q) =>
        await _scenario.EditorA.GetFromJsonAsync<JsonElement>($"/api/v1/search?q={Uri.EscapeDataString(q)}", Cancellation);

    private async Task UploadAsync(string text, string fileName, string contentType, string? title = null)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var response = await _scenario.EditorA.PostAsJsonAsync("/api/v1/documents", new { fileName, contentType, sizeBytes = bytes.Length, title }, Cancellation);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        await _scenario.UploadAndCompleteAsync(_scenario.EditorA, created, bytes);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        await PipelineDocuments.WaitForStatusAsync(_scenario.EditorA, id, ["ready"], TimeSpan.FromMinutes(1), () => _worker.Log);
    }
}
