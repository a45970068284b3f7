using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Dms.Contracts;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;
using Dms.Worker.Processing;
using Microsoft.Extensions.DependencyInjection;

namespace Dms.IntegrationTests.Processing;

/// <summary>
/// The runbook's processing rows, read with a listener on the worker's <c>Dms</c> meter while it runs in this process.
/// Other tests' workers may run in this process at the same time: only this worker's meters (made by its meter factory) count.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProcessingMetricsTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private readonly TemporaryClamd _clamd = new();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentBag<(string Instrument, double Value, string? Tag, object? Scope)> _measurements = [];
    private ApiScenario _scenario = null!;
    private WorkerHost _worker = null!;

    public async ValueTask InitializeAsync()
    {
        await _clamd.StartAsync();
        _scenario = await ApiScenario.StartAsync(postgres);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TelemetryNames.Dms && instrument.Name.StartsWith("dms.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
        _worker = WorkerHost.Start(_scenario, postgres.AppConnectionString(_scenario.OwnerConnection), _clamd.Port);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _worker.DisposeAsync();
        await _scenario.DisposeAsync();
        await _clamd.DisposeAsync();
    }

    [Fact]
    public async Task Outcomes_step_durations_and_the_queue_are_measured()
    {
        var ready = await PipelineDocuments.UploadAsync(_scenario, _scenario.EditorA, SampleDocuments.TextPdf("Measured"), "measured.pdf", "application/pdf");
        var infected = await PipelineDocuments.UploadAsync(_scenario, _scenario.EditorA, Encoding.ASCII.GetBytes(TemporaryClamd.Eicar), "eicar.txt", "text/plain");
        await PipelineDocuments.WaitForEndStateAsync(_scenario.EditorA, ready, TimeSpan.FromMinutes(1));
        await PipelineDocuments.WaitForEndStateAsync(_scenario.EditorA, infected, TimeSpan.FromMinutes(1));
        // The outcome is counted just after the document's status is written: wait for both counts.
        var completed = await CompletedAsync(count: 2, TimeSpan.FromSeconds(30));
        _listener.RecordObservableInstruments();

        var steps = Mine.Where(m => m.Instrument == "dms.processing.duration").Select(m => m.Tag).ToHashSet();
        Assert.Equal(["quarantined", "ready"], completed);
        Assert.Equal(new HashSet<string?> { "type_check", "scan", "extract", "preview", "index" }, steps);
        Assert.All(Mine.Where(m => m.Instrument == "dms.processing.duration"), m => Assert.True(m.Value >= 0));
        Assert.Contains(Mine, m => m.Instrument == "dms.queue.depth");
        Assert.Contains(Mine, m => m.Instrument == "dms.queue.dead_letters" && m.Value == 0);
    }

    private async Task<List<string?>> CompletedAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            List<string?> completed = [.. Mine.Where(m => m.Instrument == "dms.processing.completed").Select(m => m.Tag).Order()];
            if (completed.Count >= count || DateTime.UtcNow > deadline)
            {
                return completed;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private IEnumerable<(string Instrument, double Value, string? Tag, object? Scope)> Mine =>
        _measurements.Where(m => ReferenceEquals(m.Scope, _worker.Services.GetRequiredService<IMeterFactory>()));

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? tag = null;
        foreach (var pair in tags)
        {
            tag = pair.Value?.ToString();
        }

        _measurements.Add((instrument.Name, value, tag, instrument.Meter.Scope));
    }
}
