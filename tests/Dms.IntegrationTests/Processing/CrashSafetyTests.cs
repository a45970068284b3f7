using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Processing;

/// <summary>kill -9 of the worker in the middle of OCR, again and again: nothing is lost and nothing is done twice.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class CrashSafetyTests(TemporaryPostgres postgres) : IAsyncLifetime
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
            Assert.Equal("ready", document.GetProperty("status").GetString());
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

    private WorkerProcess StartWorker()
    {
        var worker = WorkerProcess.Start(_scenario, postgres.AppConnectionString(_scenario.OwnerConnection), _clamd.Port, new Dictionary<string, string>
        {
            ["Dms__Queue__Lease"] = "00:00:02",
            ["Dms__Queue__MaxDeliveries"] = "20",
            ["Dms__Ocr__Dpi"] = "200",
            ["Logging__LogLevel__Dms.Worker.Processing.ProcessingWorker"] = "Information",
            ["Logging__LogLevel__Dms.Worker.Extraction.PdfTextReader"] = "Debug",
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
