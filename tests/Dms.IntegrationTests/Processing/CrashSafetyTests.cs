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

        for (var kill = 0; kill < Kills; kill++)
        {
            var worker = StartWorker();
            await WaitUntilExtractingAsync(ids, worker);
            await Task.Delay(Random.Shared.Next(200, 1500), TestContext.Current.CancellationToken);
            await worker.KillAsync();
        }

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
    }

    private WorkerProcess StartWorker()
    {
        var worker = WorkerProcess.Start(_scenario, postgres.AppConnectionString(_scenario.OwnerConnection), _clamd.Port, new Dictionary<string, string>
        {
            ["Dms__Queue__Lease"] = "00:00:02",
            ["Dms__Queue__MaxDeliveries"] = "20",
            ["Dms__Ocr__Dpi"] = "200",
            ["Logging__LogLevel__Dms.Worker.Processing.ProcessingWorker"] = "Information",
        });
        _workers.Add(worker);
        return worker;
    }

    private async Task WaitUntilExtractingAsync(IEnumerable<Guid> ids, WorkerProcess worker)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var id in ids)
            {
                var document = await _scenario.EditorA.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}", TestContext.Current.CancellationToken);
                if (document.GetProperty("status").GetString() == "extracting")
                {
                    return;
                }
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"No document reached extracting.\n{worker.Log}");
    }

    [GeneratedRegex(@"Document ([0-9a-f-]{36}) of tenant [0-9a-f-]{36} processed: ready")]
    private static partial Regex Finished();
}
