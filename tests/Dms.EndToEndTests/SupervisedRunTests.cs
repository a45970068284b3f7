using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Dms.EndToEndTests.ResourceProcesses;
using Dms.TestSupport;

namespace Dms.EndToEndTests;

/// <summary>
/// A process of the running system killed with SIGKILL (an OOM kill, a crash) after it was ready: the run starts it
/// again and keeps everything else running, and what was in flight ends as it would have.
/// </summary>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed class SupervisedRunTests(RunningEmbeddedAppModel running)
{
    /// <summary>The issue's promise: the process is back within a minute.</summary>
    private static readonly TimeSpan BackWithin = TimeSpan.FromMinutes(1);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_worker_killed_mid_ocr_is_started_again_while_the_api_serves_and_the_document_ends_ready()
    {
        using var editor = await running.Model.SignInAsync("editor", Cancellation);
        var pages = Enumerable.Range(1, 5).Select(n => $"Scanned page {n} of the supervised worker test").ToArray();
        var id = (await DocumentUploads.UploadAsync(editor, await SampleDocuments.ScannedPdf(pages), "scanned.pdf", "application/pdf",
            cancellationToken: Cancellation)).Id;
        var worker = ProcessIdOf("worker");

        // Killed while tesseract, its child, reads a page: the middle of the OCR.
        await WaitUntilAsync(() => ChildrenOf(worker).Any(child => CommandOf(child) == "tesseract"), TimeSpan.FromMinutes(1), "tesseract under the worker");
        Kill(worker);
        using var meanwhile = await editor.GetAsync("/api/v1/documents?limit=1", Cancellation);
        await WaitUntilAsync(() => ProcessIdOf("worker") is var now && now != worker && now != 0, BackWithin, "a new worker process");
        await WaitHealthyAsync("worker");
        var ended = await WaitForStatusAsync(editor, id, TimeSpan.FromMinutes(3));

        Assert.Equal(HttpStatusCode.OK, meanwhile.StatusCode);
        Assert.True(ended.GetProperty("status").GetString() == "ready", ended.ToString());
        var text = await editor.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}/text", Cancellation);
        Assert.Equal(5, text.GetProperty("ocrPages").GetInt32());
    }

    [Fact]
    public async Task Postgresql_killed_is_started_again_the_api_worker_and_web_app_ride_it_out_without_a_restart_and_a_new_document_ends_ready()
    {
        using var editor = await running.Model.SignInAsync("editor", Cancellation);
        // A person signed in to the web app, whose session is a row in PostgreSQL too.
        await using var browser = await WebBrowser.LaunchAsync("database-restart");
        var page = await browser.NewPageAsync(running.Model.App.GetEndpoint("web", "http"));
        await Web.Pages.ProviderPages.SignInAsync(page, "editor@demo.dms.local");
        // Pages asked for at once: the web app's pool holds several connections, as it does after a day's use.
        var tabs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => page.Context.NewPageAsync()));
        await Task.WhenAll(tabs.Select(tab => tab.GotoAsync(new Uri(running.Model.App.GetEndpoint("web", "http"), "/documents").ToString())));
        var (api, worker) = (ProcessIdOf("api"), ProcessIdOf("worker"));
        var server = ChildrenOf(ProcessIdOf("postgres")).Single(child => CommandOf(child) == "postgres");

        Kill(server);
        // Asked once the server is gone (a request sent the instant after the signal can still be served by it), the
        // api answers 503 with Retry-After, or 200 if the server is back already, never a refused connection; meeting
        // the outage is also what empties its pool of the connections that died with the server.
        await WaitUntilAsync(() => Gone(server), BackWithin, "the killed PostgreSQL server to be gone");
        using var meanwhile = await editor.GetAsync("/api/v1/documents?limit=1", Cancellation);
        await WaitUntilAsync(() => ChildrenOf(ProcessIdOf("postgres")).Any(child => child != server && CommandOf(child) == "postgres"), BackWithin, "a new PostgreSQL server");
        await WaitHealthyAsync("postgres");
        // The resource's health may still be the report from before the kill: the new server itself must take a
        // connection (it replays its log after a kill before it does).
        var owner = new Npgsql.NpgsqlConnectionStringBuilder(await running.Model.App.GetConnectionStringAsync("postgres", Cancellation)) { Pooling = false, Timeout = 3 };
        await WaitUntilAsync(() =>
        {
            using var connection = new Npgsql.NpgsqlConnection(owner.ConnectionString);
            connection.Open();
            return true;
        }, BackWithin, "the new PostgreSQL server to take connections");
        // Once it is back, every request is served: none meets a pooled connection that died with the old server.
        var afterwards = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var answer = await editor.GetAsync("/api/v1/documents?limit=1", Cancellation);
            afterwards.Add(answer.StatusCode);
        }
        // The web app's pages too: each reads the person's session from PostgreSQL, and none is an error page; and
        // someone signing in now gets a session (written to PostgreSQL) and their documents, not an error page.
        var pages = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var shown = await page.GotoAsync("/documents", new() { WaitUntil = Microsoft.Playwright.WaitUntilState.DOMContentLoaded });
            pages.Add($"{shown!.Status} {page.Url}");
        }

        await using var later = await WebBrowser.LaunchAsync("database-restart-sign-in");
        await Web.Pages.ProviderPages.SignInAsync(await later.NewPageAsync(running.Model.App.GetEndpoint("web", "http")), "viewer@demo.dms.local");

        var id = (await DocumentUploads.UploadAsync(editor, "Written after PostgreSQL came back"u8.ToArray(), "after.txt", "text/plain",
            cancellationToken: Cancellation)).Id;
        var ended = await WaitForStatusAsync(editor, id, TimeSpan.FromMinutes(1));

        Assert.All(afterwards, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.All(pages, shown => Assert.Matches(@"^200 .*/documents$", shown));
        Assert.Contains(meanwhile.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable });
        if (meanwhile.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            Assert.NotNull(meanwhile.Headers.RetryAfter);
        }

        Assert.True(ended.GetProperty("status").GetString() == "ready", ended.ToString());
        Assert.Equal(api, ProcessIdOf("api"));
        Assert.Equal(worker, ProcessIdOf("worker"));
    }

    private int ProcessIdOf(string resource) => ResourceProcesses.ProcessIdOf(running.Model, resource);

    private Task WaitHealthyAsync(string resource) => ResourceProcesses.WaitHealthyAsync(running.Model, resource, BackWithin, Cancellation);

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, string what) =>
        ResourceProcesses.WaitUntilAsync(condition, limit, what, Cancellation);

    /// <summary>Polls until the document is ready, failed or quarantined; a 503 while the database is away is asked again.</summary>
    private static async Task<JsonElement> WaitForStatusAsync(HttpClient client, Guid id, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            using var response = await client.GetAsync($"/api/v1/documents/{id}", Cancellation);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var document = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
                if (document.GetProperty("status").GetString() is "ready" or "failed" or "quarantined" || DateTime.UtcNow > deadline)
                {
                    return document;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"The document answered {(int)response.StatusCode} until the end.");
            await Task.Delay(200, Cancellation);
        }
    }
}
