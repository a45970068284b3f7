using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Processing;

/// <summary>
/// kill -9 of the worker in the middle of OCR, again and again: nothing is lost and nothing is done twice. A server of
/// its own: its two minutes run beside the shared server's collection (the suite's longest) rather than in it.
/// </summary>
public sealed partial class CrashSafetyTests(TemporaryPostgres postgres) : IClassFixture<TemporaryPostgres>, IAsyncLifetime
{
    private const int Kills = 4;
    private static readonly string[] Pages = ["Alpha page of the crash test", "Bravo page of the crash test", "Charlie page of the crash test",
        "Delta page of the crash test", "Echo page of the crash test", "Foxtrot page of the crash test"];

    private readonly TemporaryClamd _clamd = new();
    private readonly List<WorkerProcess> _workers = [];
    private ApiScenario _scenario = null!;

    public async ValueTask InitializeAsync()
    {
        await _clamd.StartAsync();
        _scenario = await ApiScenario.StartAsync(postgres);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        await _scenario.DisposeAsync();
        await _clamd.DisposeAsync();
    }

    [Fact]
    public async Task Killing_the_worker_mid_ocr_repeatedly_loses_no_document_and_stores_one_set_of_results()
    {
        var scanned = await SampleDocuments.ScannedPdf(Pages);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await PipelineDocuments.UploadAsync(_scenario, _scenario.EditorA, scanned, $"scan-{i}.pdf", "application/pdf"));
        }

        // Each worker is killed once it holds the jobs again and has read a page by OCR; the last one once a
        // document's text is stored and its job not yet done (a rerun must not read it again).
        for (var kill = 1; kill <= Kills; kill++)
        {
            var worker = StartWorker();
            if (kill < Kills)
            {
                await WaitUntilAsync(() => Task.FromResult(PagesRead().Count(worker.Log) > 0), "the new worker read a page by OCR", worker);
            }
            else
            {
                await WaitUntilAsync(async () => await WithTextNotReadyAsync() > 0, "a document's text was stored before its job was done", worker);
            }

            await worker.KillAsync();
        }

        var textsBefore = await ExtractAttemptsAsync();
        var storedBefore = await WithTextNotReadyAsync();
        var survivor = StartWorker();
        foreach (var id in ids)
        {
            var document = await PipelineDocuments.WaitForEndStateAsync(_scenario.EditorA, id, TimeSpan.FromMinutes(3), () => survivor.Log);
            Assert.Equal("ready", document.Status);
            var text = await PipelineDocuments.TextAsync(_scenario.EditorA, id);
            Assert.All(Pages, page => Assert.Contains(page, text));
        }

        Assert.Equal((long)ids.Count, await Sql.ScalarAsync(_scenario.OwnerConnection, "SELECT count(*) FROM document_texts"));
        Assert.Equal((long)Enum.GetValues<Dms.Processing.StepName>().Length * ids.Count, await Sql.ScalarAsync(_scenario.OwnerConnection, "SELECT count(*) FROM processing_steps"));
        // A job is acknowledged just after its document turns ready: give the last one a moment.
        var jobsLeft = await Sql.ScalarAsync(_scenario.OwnerConnection, "SELECT count(*) FROM processing_jobs");
        for (var wait = 0; wait < 100 && jobsLeft is not 0L; wait++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            jobsLeft = await Sql.ScalarAsync(_scenario.OwnerConnection, "SELECT count(*) FROM processing_jobs");
        }

        Assert.Equal(0L, jobsLeft);
        // Every worker logs each document it finishes: across all of them, each document finished exactly once.
        var finished = _workers.SelectMany(w => Finished().Matches(w.Log).Select(m => Guid.Parse(m.Groups[1].Value))).ToList();
        Assert.Equal(ids.Order(), finished.Order());

        // The kills landed in the extraction: its starts are counted across them (each kill cut one short).
        var attempts = await ExtractAttemptsAsync();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Extract attempts {string.Join(", ", attempts.Values.Select(a => a.Attempt))}; pages read by OCR per worker {string.Join(", ", _workers.Select(w => PagesRead().Count(w.Log)))}.");
        Assert.True(attempts.Values.Max(a => a.Attempt) >= Kills, $"Extract attempts {string.Join(", ", attempts.Values.Select(a => a.Attempt))} after {Kills} kills.");
        // The survivor read by OCR only the documents whose text was not stored: the stored one's extraction was skipped.
        Assert.True(storedBefore > 0);
        Assert.Equal(Pages.Length * (ids.Count - textsBefore.Count(t => t.Value.Stored)), PagesRead().Count(survivor.Log));
        Assert.All(textsBefore.Where(t => t.Value.Stored), t => Assert.Equal(t.Value.Attempt, attempts[t.Key].Attempt));
    }

    [Fact]
    public async Task A_job_taken_more_often_than_max_deliveries_is_dead_lettered_without_running_again()
    {
        var id = await PipelineDocuments.UploadAsync(_scenario, _scenario.EditorA, System.Text.Encoding.UTF8.GetBytes("Kills its worker"), "killer.txt", "text/plain");
        // Taken twice already by workers that never came back (the queue's delivery count, as a crash leaves it).
        await Sql.ScalarAsync(Sql.CrossTenant(_scenario.OwnerConnection), $"UPDATE processing_jobs SET attempts = 2 WHERE document_id = '{id}'");

        var worker = StartWorker(maxDeliveries: 2);
        var failed = await PipelineDocuments.WaitForEndStateAsync(_scenario.EditorA, id, TimeSpan.FromMinutes(1), () => worker.Log);
        var letters = await PipelineDocuments.DeadLettersAsync(_scenario.Operator, TimeSpan.FromSeconds(30));

        Assert.Equal("failed", failed.Status);
        Assert.Equal("The worker stopped 2 times while processing this document (Dms:Queue:MaxDeliveries is 2).", failed.FailureReason);
        var letter = Assert.Single(letters);
        Assert.Equal(id, letter.GetProperty("documentId").GetGuid());
        Assert.Equal(3, letter.GetProperty("attempts").GetInt32());
        // It did not run again: no step started.
        Assert.Empty(await PipelineDocuments.StepsAsync(_scenario.EditorA, id));
    }

    [Fact]
    public async Task Jobs_for_a_version_the_document_no_longer_wants_write_nothing()
    {
        // Queued while no worker runs: a first version replaced by a second, and a document moved to the trash.
        var replaced = await PipelineDocuments.UploadAsync(_scenario, _scenario.EditorA, System.Text.Encoding.UTF8.GetBytes("First words"), "replaced.txt", "text/plain");
        var second = System.Text.Encoding.UTF8.GetBytes("Second words");
        using var version = await _scenario.EditorA.PostAsJsonAsync($"/api/v1/documents/{replaced}/versions",
            new { fileName = "replaced.txt", contentType = "text/plain", sizeBytes = second.Length, sha256 = ApiScenario.Sha256(second) }, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, version.StatusCode);
        await _scenario.UploadAndCompleteAsync(_scenario.EditorA, await version.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken), second);
        var trashed = await PipelineDocuments.UploadAsync(_scenario, _scenario.EditorA, System.Text.Encoding.UTF8.GetBytes("Thrown away"), "trashed.txt", "text/plain");
        using var deleted = await _scenario.EditorA.DeleteAsync($"/api/v1/documents/{trashed}", TestContext.Current.CancellationToken);
        Assert.True(deleted.IsSuccessStatusCode);
        Assert.Equal(3L, await Sql.ScalarAsync(Sql.CrossTenant(_scenario.OwnerConnection), "SELECT count(*) FROM processing_jobs"));

        var worker = StartWorker();
        var ready = await PipelineDocuments.WaitForStatusAsync(_scenario.EditorA, replaced, ["ready"], TimeSpan.FromMinutes(1), () => worker.Log);
        await WaitUntilAsync(async () => (long)(await Sql.ScalarAsync(Sql.CrossTenant(_scenario.OwnerConnection), "SELECT count(*) FROM processing_jobs"))! == 0,
            "every job was done", worker);

        Assert.Equal(2, ready.CurrentVersion);
        Assert.Equal("Second words", await PipelineDocuments.TextAsync(_scenario.EditorA, replaced));
        // Only the wanted version has steps and text; the trashed document has none and stays in the trash.
        Assert.Equal("2", await Sql.ScalarAsync(Sql.CrossTenant(_scenario.OwnerConnection),
            $"SELECT string_agg(DISTINCT version::text, ',') FROM processing_steps WHERE document_id = '{replaced}'"));
        Assert.Equal("2", await Sql.ScalarAsync(Sql.CrossTenant(_scenario.OwnerConnection),
            $"SELECT string_agg(version::text, ',') FROM document_texts WHERE document_id = '{replaced}'"));
        Assert.Equal(0L, await Sql.ScalarAsync(Sql.CrossTenant(_scenario.OwnerConnection),
            $"SELECT (SELECT count(*) FROM processing_steps WHERE document_id = '{trashed}') + (SELECT count(*) FROM document_texts WHERE document_id = '{trashed}')"));
        Assert.Equal("deleted", (await _scenario.EditorA.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{trashed}", TestContext.Current.CancellationToken)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_worker_that_loses_its_lease_stops_its_run_and_the_job_is_finished_once_by_whoever_holds_it()
    {
        string[] pages = [.. Enumerable.Range(1, 12).Select(n => $"Page {n} of the lease test")];
        var id = await PipelineDocuments.UploadAsync(_scenario, _scenario.EditorA, await SampleDocuments.ScannedPdf(pages), "lease.pdf", "application/pdf");
        var worker = StartWorker();
        await WaitUntilAsync(() => Task.FromResult(PagesRead().Count(worker.Log) > 0), "the worker read a page by OCR", worker);

        // As if the lease had run out and another worker had taken the job: its token is no longer this worker's.
        await Sql.ScalarAsync(Sql.CrossTenant(_scenario.OwnerConnection),
            $"UPDATE processing_jobs SET lease_token = gen_random_uuid(), available_at = now() + interval '3 seconds' WHERE document_id = '{id}'");
        await WaitUntilAsync(() => Task.FromResult(worker.Log.Contains($"Lost the lease on document {id}'s job", StringComparison.Ordinal)), "the worker gave up the run", worker);
        var readBeforeStopping = PagesRead().Count(worker.Log);

        // The stolen lease runs out; the job is taken again (by this worker, the only one), read whole and finished once.
        await PipelineDocuments.WaitForStatusAsync(_scenario.EditorA, id, ["ready"], TimeSpan.FromMinutes(2), () => worker.Log);
        var text = await PipelineDocuments.TextAsync(_scenario.EditorA, id);

        Assert.True(readBeforeStopping < pages.Length, $"The run read all {readBeforeStopping} pages before it stopped: the stop proves nothing.");
        Assert.Equal(readBeforeStopping + pages.Length, PagesRead().Count(worker.Log));
        Assert.All(pages, page => Assert.Contains(page, text));
        // The "processed" line is logged just after the document turns ready.
        await WaitUntilAsync(() => Task.FromResult(Finished().IsMatch(worker.Log)), "the worker logged the document processed", worker);
        Assert.Single(Finished().Matches(worker.Log));
    }

    private WorkerProcess StartWorker(int maxDeliveries = 20)
    {
        var worker = WorkerProcess.Start(_scenario, postgres.AppConnectionString(_scenario.OwnerConnection), _clamd.Port, new Dictionary<string, string>
        {
            ["Dms:Queue:Lease"] = "00:00:02",
            ["Dms:Queue:MaxDeliveries"] = maxDeliveries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dms:Ocr:Dpi"] = "200",
            ["Logging:LogLevel:Dms.Worker.Processing.ProcessingWorker"] = "Information",
            ["Logging:LogLevel:Dms.Worker.Extraction.PdfTextReader"] = "Debug",
        });
        _workers.Add(worker);
        return worker;
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms for up to a minute.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, WorkerProcess worker)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Waited a minute for: {what}.\n{worker.Log}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Documents whose text is stored while their processing is not finished.</summary>
    private async Task<long> WithTextNotReadyAsync() =>
        (long)(await Sql.ScalarAsync(Sql.CrossTenant(_scenario.OwnerConnection),
            "SELECT count(*) FROM document_texts t JOIN documents d ON d.id = t.document_id WHERE d.status <> 'ready'"))!;

    /// <summary>Each document's extract step: its recorded attempt, and whether its text is stored.</summary>
    private async Task<Dictionary<Guid, (int Attempt, bool Stored)>> ExtractAttemptsAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(Sql.CrossTenant(_scenario.OwnerConnection));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand("""
            SELECT s.document_id, s.attempt, EXISTS (SELECT 1 FROM document_texts t WHERE t.document_id = s.document_id)
            FROM processing_steps s WHERE s.step = 'extract'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var attempts = new Dictionary<Guid, (int, bool)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            attempts[reader.GetGuid(0)] = (reader.GetInt32(1), reader.GetBoolean(2));
        }

        return attempts;
    }

    [GeneratedRegex(@"Read page \d+ of \d+ by OCR")]
    private static partial Regex PagesRead();

    [GeneratedRegex(@"Document ([0-9a-f-]{36}) of tenant [0-9a-f-]{36} processed: ready")]
    private static partial Regex Finished();
}
