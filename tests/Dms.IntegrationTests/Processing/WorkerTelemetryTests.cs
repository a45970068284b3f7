using System.Net.Http.Json;
using System.Text.Json;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Processing;

/// <summary>
/// What an operator reads about the worker: its health (one entry per dependency), its JSON log lines with the fields
/// the runbook's queries use, and traces that continue the request which queued the job.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WorkerTelemetryTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ApiScenario _scenario = null!;
    private WorkerProcess? _worker;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await ApiScenario.StartAsync(postgres);

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        await _scenario.DisposeAsync();
    }

    [Fact]
    public async Task Health_reports_each_dependency_and_a_scanner_switched_off_as_degraded()
    {
        StartWorker();
        using var http = new HttpClient { BaseAddress = _worker!.Url };

        var health = await WaitForHealthAsync(http);
        var entries = health.GetProperty("entries");

        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        Assert.Equal("Degraded", entries.GetProperty("scanner").GetProperty("status").GetString());
        Assert.Contains("Dms:Scanner:Provider is Disabled", entries.GetProperty("scanner").GetProperty("description").GetString());
        Assert.Equal("tesseract reads eng.", entries.GetProperty("ocr").GetProperty("description").GetString());
        foreach (var dependency in new[] { "PostgreSql", "queue", "storage", "search", "processing-loop" })
        {
            Assert.Equal("Healthy", entries.GetProperty(dependency).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task A_failed_document_logs_a_json_line_with_the_runbooks_fields_in_the_trace_of_the_request_that_queued_it()
    {
        // Completed before the worker starts, so the job's trace context can be read from the queue first.
        var id = await PipelineDocuments.UploadAsync(_scenario, _scenario.EditorA, ApiScenario.RandomBytes(2000), "random.pdf", "application/pdf");
        var traceParent = (string?)await Sql.ScalarAsync(_scenario.OwnerConnection, $"SELECT trace_parent FROM processing_jobs WHERE document_id = '{id}'");
        StartWorker();

        var document = await PipelineDocuments.WaitForEndStateAsync(_scenario.EditorA, id, TimeSpan.FromMinutes(1), () => _worker!.Log);
        var line = await ProcessedLineAsync(id);

        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", traceParent);
        Assert.Equal("warning", line.GetProperty("level").GetString());
        Assert.Equal(_scenario.TenantA.ToString(), line.GetProperty("tenantId").GetString());
        Assert.Equal("failed", line.GetProperty("status").GetString());
        Assert.Equal(document.FailureReason, line.GetProperty("errorMessage").GetString());
        Assert.Equal(traceParent!.Split('-')[1], line.GetProperty("traceId").GetString());
    }

    private void StartWorker() =>
        _worker = WorkerProcess.Start(_scenario, postgres.AppConnectionString(_scenario.OwnerConnection), scannerPort: null, new Dictionary<string, string>
        {
            ["Logging:Console:FormatterName"] = "dms-json",
            ["Logging:LogLevel:Dms.Worker.Processing"] = "Information",
        });

    /// <summary>The worker's line about <paramref name="id"/>, parsed; it is written just after the document's end state.</summary>
    private async Task<JsonElement> ProcessedLineAsync(Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            foreach (var text in _worker!.Log.Split('\n').Where(l => l.StartsWith('{')))
            {
                var line = JsonDocument.Parse(text).RootElement;
                if (line.TryGetProperty("documentId", out var document) && document.GetString() == id.ToString() && line.TryGetProperty("status", out _))
                {
                    return line;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"No processed line for {id}:\n{_worker.Log}");
            await Task.Delay(100, Cancellation);
        }
    }

    private static async Task<JsonElement> WaitForHealthAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return await http.GetFromJsonAsync<JsonElement>("/health", Cancellation);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, Cancellation);
            }
        }
    }
}
