using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Processing;

/// <summary>Uploads through the API, processed by the worker as its own process, with real clamd, tesseract and pdftoppm.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PipelineTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private TemporaryClamd _clamd = null!;
    private ApiScenario _scenario = null!;
    private WorkerHost _worker = null!;

    private HttpClient Editor => _scenario.EditorA;

    /// <summary>One clamd, API and worker for the class; each test has tenants of its own.</summary>
    public async ValueTask InitializeAsync()
    {
        _clamd = await shared.KeepAsync(async () =>
        {
            var clamd = new TemporaryClamd();
            await clamd.StartAsync();
            return clamd;
        });
        _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres));
        var scenario = _scenario;
        _worker = await shared.KeepAsync(() => Task.FromResult(WorkerHost.Start(scenario, postgres.AppConnectionString(scenario.OwnerConnection), _clamd.Port)));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Every_kind_of_upload_ends_ready_with_its_text_quarantined_or_failed_with_a_reason()
    {
        var textPdf = SampleDocuments.TextPdf("Quarterly revenue report", "Second page about pipelines");
        var uploads = new (string Name, byte[] Bytes, string FileName, string ContentType)[]
        {
            ("text pdf", textPdf, "report.pdf", "application/pdf"),
            ("dated pdf", SampleDocuments.TextPdfCreated("D:20261103093000+01'00'", "Minutes of the board", "No day is named here"), "minutes.pdf", "application/pdf"),
            ("scanned pdf", await SampleDocuments.ScannedPdf("Invoice number 4711\nTotal amount due"), "scan.pdf", "application/pdf"),
            ("png photo", await SampleDocuments.PngOfText("Meeting notes from Tuesday"), "photo.png", "image/png"),
            ("text file", Encoding.UTF8.GetBytes("Plain words about déjà vu.\n"), "notes.txt", "text/plain"),
            ("eicar", Encoding.ASCII.GetBytes(TemporaryClamd.Eicar), "eicar.txt", "text/plain"),
            ("corrupt pdf", SampleDocuments.CorruptPdf(textPdf), "broken.pdf", "application/pdf"),
            ("password pdf", await SampleDocuments.PasswordProtectedPdf(textPdf), "locked.pdf", "application/pdf"),
            ("png called pdf", await SampleDocuments.PngOfText("Not a PDF"), "fake.pdf", "application/pdf"),
            ("docx", SampleDocuments.Docx("Contract terms", "Signed in Berlin"), "contract.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("html", Encoding.UTF8.GetBytes("<html><head><style>p{}</style></head><body><p>Hello &amp; welcome</p></body></html>"), "page.html", "text/html"),
        };
        var ids = new Dictionary<string, Guid>();
        foreach (var upload in uploads)
        {
            ids[upload.Name] = await PipelineDocuments.UploadAsync(_scenario, Editor, upload.Bytes, upload.FileName, upload.ContentType);
        }

        var ends = new Dictionary<string, Dms.Contracts.Http.DocumentResponse>();
        foreach (var (name, id) in ids)
        {
            ends[name] = await PipelineDocuments.WaitForEndStateAsync(Editor, id, Patience, () => _worker.Log);
        }

        string Status(string name) => ends[name].Status!;
        string Reason(string name) => ends[name].FailureReason ?? "";
        Assert.Equal("ready", Status("text pdf"));
        Assert.Contains("Quarterly revenue report", await PipelineDocuments.TextAsync(Editor, ids["text pdf"]));
        Assert.Contains("Second page about pipelines", await PipelineDocuments.TextAsync(Editor, ids["text pdf"]));
        // A text without a date: the day the PDF's metadata says it was created is proposed, read in the same tool run.
        Assert.Equal("ready", Status("dated pdf"));
        var minutes = await PipelineDocuments.TextAsync(Editor, ids["dated pdf"]);
        Assert.StartsWith("Minutes of the board\n", minutes);
        Assert.EndsWith("\fNo day is named here", minutes);
        Assert.DoesNotContain("<", minutes);
        Assert.Equal(new DateOnly(2026, 11, 3), ends["dated pdf"].SuggestedDate);
        Assert.Equal("ready", Status("scanned pdf"));
        Assert.Contains("Invoice number 4711", await PipelineDocuments.TextAsync(Editor, ids["scanned pdf"]));
        Assert.Equal("ready", Status("png photo"));
        Assert.Contains("Meeting notes from Tuesday", await PipelineDocuments.TextAsync(Editor, ids["png photo"]));
        Assert.Equal("ready", Status("text file"));
        Assert.Equal("Plain words about déjà vu.", await PipelineDocuments.TextAsync(Editor, ids["text file"]));
        Assert.Equal("ready", Status("docx"));
        Assert.Equal("Contract terms\nSigned in Berlin", await PipelineDocuments.TextAsync(Editor, ids["docx"]));
        Assert.Equal("ready", Status("html"));
        Assert.Equal("Hello & welcome", await PipelineDocuments.TextAsync(Editor, ids["html"]));

        Assert.Equal("quarantined", Status("eicar"));
        Assert.Contains("Dms.Test.EICAR", Reason("eicar"));
        using var download = await Editor.GetAsync($"/api/v1/documents/{ids["eicar"]}/content", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, download.StatusCode);
        Assert.Contains("document-quarantined", await download.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal("failed", Status("corrupt pdf"));
        Assert.Contains("corrupt", Reason("corrupt pdf"));
        Assert.Equal("failed", Status("password pdf"));
        Assert.Contains("password-protected", Reason("password pdf"));
        Assert.Equal("failed", Status("png called pdf"));
        Assert.Contains("declared as application/pdf but its content is image/png", Reason("png called pdf"));
    }

    [Fact]
    public async Task Each_step_records_its_outcome_duration_and_detail()
    {
        var id = await PipelineDocuments.UploadAsync(_scenario, Editor, await SampleDocuments.ScannedPdf("Recorded steps"), "scan.pdf", "application/pdf");
        await PipelineDocuments.WaitForEndStateAsync(Editor, id, Patience, () => _worker.Log);

        var steps = await PipelineDocuments.StepsAsync(Editor, id);

        Assert.Equal(["scan", "type_check", "extract", "preview", "index"], steps.Keys);
        Assert.All(steps.Values, s => Assert.Equal("succeeded", s.GetProperty("outcome").GetString()));
        Assert.Equal("content is application/pdf", steps["type_check"].GetProperty("detail").GetString());
        Assert.Equal("clean", steps["scan"].GetProperty("detail").GetString());
        Assert.Equal("1 pages, 1 of them by OCR", steps["extract"].GetProperty("detail").GetString());
        Assert.True(steps["extract"].GetProperty("durationMs").GetInt64() > 0);
        Assert.Equal("a thumbnail", steps["preview"].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Previews_are_made_of_clean_pdfs_and_images_bounded_in_pixels_cached_by_etag_and_never_served_for_quarantined_content()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var pdf = await PipelineDocuments.UploadAsync(_scenario, Editor, SampleDocuments.TextPdf("Page one", "Page two"), "two-pages.pdf", "application/pdf");
        var png = await PipelineDocuments.UploadAsync(_scenario, Editor, await SampleDocuments.PngOfText("A photographed receipt"), "receipt.png", "image/png");
        var text = await PipelineDocuments.UploadAsync(_scenario, Editor, Encoding.UTF8.GetBytes("Only words"), "words.txt", "text/plain");
        var eicar = await PipelineDocuments.UploadAsync(_scenario, Editor, Encoding.ASCII.GetBytes(TemporaryClamd.Eicar), "eicar.txt", "text/plain");
        foreach (var id in new[] { pdf, png, text, eicar })
        {
            await PipelineDocuments.WaitForEndStateAsync(Editor, id, Patience, () => _worker.Log);
        }

        using var thumbnail = await Editor.GetAsync($"/api/v1/documents/{pdf}/thumbnail", cancellation);
        var thumbnailBytes = await thumbnail.Content.ReadAsByteArrayAsync(cancellation);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/png", thumbnail.Content.Headers.ContentType?.MediaType);
        Assert.True(thumbnail.Headers.CacheControl is { Private: true, MaxAge.TotalSeconds: 3600 });
        Assert.True(PngSize.LongestSide(thumbnailBytes) is > 100 and <= 320, $"thumbnail is {PngSize.LongestSide(thumbnailBytes)} pixels");
        // The pipeline made only the thumbnail: the pages come when first asked for.
        foreach (var page in new[] { 1, 2 })
        {
            Assert.Equal(1400, PngSize.LongestSide(await WaitForPageAsync(pdf, page)));
        }

        using var beyond = await Editor.GetAsync($"/api/v1/documents/{pdf}/pages/3", cancellation);
        Assert.Equal(HttpStatusCode.NotFound, beyond.StatusCode);

        // A browser that has the image asks whether it changed, and is told it did not.
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/documents/{pdf}/thumbnail");
        revalidate.Headers.IfNoneMatch.Add(thumbnail.Headers.ETag!);
        using var notModified = await Editor.SendAsync(revalidate, cancellation);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var photo = await Editor.GetAsync($"/api/v1/documents/{png}/thumbnail", cancellation);
        Assert.True(photo.StatusCode == HttpStatusCode.OK, (await PipelineDocuments.StepsAsync(Editor, png))["preview"].ToString());
        Assert.True(PngSize.LongestSide(await photo.Content.ReadAsByteArrayAsync(cancellation)) <= 320);

        // Words have no picture: the step says so, the document is ready all the same.
        var textSteps = await PipelineDocuments.StepsAsync(Editor, text);
        Assert.Equal("skipped", textSteps["preview"].GetProperty("outcome").GetString());
        Assert.Equal("no preview for text/plain", textSteps["preview"].GetProperty("detail").GetString());
        using var none = await Editor.GetAsync($"/api/v1/documents/{text}/thumbnail", cancellation);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);

        using var quarantined = await Editor.GetAsync($"/api/v1/documents/{eicar}/thumbnail", cancellation);
        Assert.Equal(HttpStatusCode.Conflict, quarantined.StatusCode);
        Assert.Contains("document-quarantined", await quarantined.Content.ReadAsStringAsync(cancellation));
        Assert.DoesNotContain("preview", (await PipelineDocuments.StepsAsync(Editor, eicar)).Keys);
    }

    [Fact]
    public async Task A_pdfs_pages_are_rendered_a_block_at_a_time_when_first_asked_for_and_then_served_like_the_thumbnail()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var pages = Enumerable.Range(1, 23).Select(n => $"Page number {n}").ToArray();
        var id = await PipelineDocuments.UploadAsync(_scenario, Editor, SampleDocuments.TextPdf(pages), "long.pdf", "application/pdf");
        await PipelineDocuments.WaitForEndStateAsync(Editor, id, Patience, () => _worker.Log);
        Assert.Equal("a thumbnail", (await PipelineDocuments.StepsAsync(Editor, id))["preview"].GetProperty("detail").GetString());

        // Page 12 is not there yet: asking for it queues its block (pages 11 to 20) once, however often it is asked.
        using var first = await Editor.GetAsync($"/api/v1/documents/{id}/pages/12", cancellation);
        using var again = await Editor.GetAsync($"/api/v1/documents/{id}/pages/15", cancellation);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), first.Headers.RetryAfter?.Delta);

        // The worker renders the block; then the page is an image like the first ones, the document unchanged.
        var image = await WaitForPageAsync(id, 12);
        Assert.Equal(1400, PngSize.LongestSide(image));
        // One record of the block, which one job rendered: the second ask queued nothing.
        Assert.Equal("11:1", await Sql.ScalarAsync(Sql.CrossTenant(_scenario.OwnerConnection),
            $"SELECT string_agg(pages_from || ':' || attempts, ',') FROM page_renderings WHERE document_id = '{id}' AND pages_from <= 20"));
        using var fifteenth = await Editor.GetAsync($"/api/v1/documents/{id}/pages/15", cancellation);
        Assert.Equal(HttpStatusCode.OK, fifteenth.StatusCode);
        var document = await Editor.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/documents/{id}", cancellation);
        Assert.Equal("ready", document.GetProperty("status").GetString());

        // The last block is shorter; past the last page there is nothing to render.
        Assert.Equal(1400, PngSize.LongestSide(await WaitForPageAsync(id, 23)));
        using var beyond = await Editor.GetAsync($"/api/v1/documents/{id}/pages/24", cancellation);
        Assert.Equal(HttpStatusCode.NotFound, beyond.StatusCode);
    }

    [Fact]
    public async Task A_block_of_pages_the_worker_cannot_render_is_recorded_once_and_then_refused_with_its_reason()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var id = await PipelineDocuments.UploadAsync(_scenario, Editor, SampleDocuments.TextPdf("Only one page"), "short.pdf", "application/pdf");
        await PipelineDocuments.WaitForEndStateAsync(Editor, id, Patience, () => _worker.Log);
        // A text that claims pages the PDF does not have: the block of pages 11 to 20 cannot be rendered.
        await Sql.ScalarAsync(_scenario.OwnerConnection, $"""
            SELECT set_config('app.cross_tenant', 'on', false);
            UPDATE document_texts SET pages = 30 WHERE document_id = '{id}';
            """);

        using var asked = await Editor.GetAsync($"/api/v1/documents/{id}/pages/12", cancellation);
        var deadline = DateTimeOffset.UtcNow + Patience;
        HttpResponseMessage answer;
        while ((answer = await Editor.GetAsync($"/api/v1/documents/{id}/pages/15", cancellation)).StatusCode == HttpStatusCode.Accepted && DateTimeOffset.UtcNow < deadline)
        {
            answer.Dispose();
            await Task.Delay(250, cancellation);
        }

        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var problem = await Api.ApiTests.AssertProblemAsync(answer, HttpStatusCode.NotFound);
        Assert.Equal("urn:dms:problem:page-not-rendered", problem.GetProperty("type").GetString());
        Assert.StartsWith("An image of page 15 could not be made: The preview could not be rendered", problem.GetProperty("detail").GetString());
        Assert.Equal(1L, await Sql.ScalarAsync(Sql.CrossTenant(_scenario.OwnerConnection),
            $"SELECT attempts::bigint FROM page_renderings WHERE document_id = '{id}' AND pages_from = 11"));
        answer.Dispose();
    }

    /// <summary>Asks for a page image until it is there (202 while it is being rendered).</summary>
    private async Task<byte[]> WaitForPageAsync(Guid id, int page)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            using var answer = await Editor.GetAsync($"/api/v1/documents/{id}/pages/{page}", TestContext.Current.CancellationToken);
            if (answer.StatusCode == HttpStatusCode.OK)
            {
                return await answer.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            }

            Assert.True(answer.StatusCode == HttpStatusCode.Accepted && DateTimeOffset.UtcNow < deadline,
                $"page {page} answered {(int)answer.StatusCode}; worker log: {_worker.Log}");
            await Task.Delay(TimeSpan.FromMilliseconds(250), TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Reprocessing_runs_the_pipeline_again_and_keeps_one_set_of_results()
    {
        var id = await PipelineDocuments.UploadAsync(_scenario, Editor, SampleDocuments.TextPdf("Run me twice"), "twice.pdf", "application/pdf");
        await PipelineDocuments.WaitForEndStateAsync(Editor, id, Patience, () => _worker.Log);
        var firstExtraction = (await PipelineDocuments.StepsAsync(Editor, id))["extract"].GetProperty("finishedAt").GetDateTimeOffset();

        using var asEditor = await Editor.PostAsync($"/api/v1/documents/{id}/reprocess", null, TestContext.Current.CancellationToken);
        using var asAdmin = await _scenario.AdminA.PostAsync($"/api/v1/documents/{id}/reprocess", null, TestContext.Current.CancellationToken);
        var again = await PipelineDocuments.WaitForEndStateAsync(Editor, id, Patience, () => _worker.Log);

        Assert.Equal(HttpStatusCode.Forbidden, asEditor.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Equal("ready", again.Status);
        Assert.True((await PipelineDocuments.StepsAsync(Editor, id))["extract"].GetProperty("finishedAt").GetDateTimeOffset() > firstExtraction);
        Assert.Equal(1L, await Sql.ScalarAsync(_scenario.OwnerConnection, $"SELECT count(*) FROM document_texts WHERE document_id = '{id}'"));
        Assert.Equal(0L, await Sql.ScalarAsync(_scenario.OwnerConnection, $"SELECT count(*) FROM processing_jobs WHERE document_id = '{id}'"));
    }
}
