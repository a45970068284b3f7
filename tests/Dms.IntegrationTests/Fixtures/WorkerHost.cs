using Dms.Worker.Processing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Dms.IntegrationTests.Fixtures;

/// <summary>
/// The worker in the test process, set up as <see cref="WorkerProcess"/> sets up its process, on the scenario's database
/// and blob folder: for the tests of what the worker does with documents. A worker process costs seconds of CPU to
/// start (its code compiled anew each time, on cores the test suites share); in here its code is compiled once for
/// the run. Its parsers still run in child processes of their own. What only a process of its own can show (a kill,
/// a stall it must outlive, what it exports) is tested with <see cref="WorkerProcess"/>.
/// </summary>
public sealed class WorkerHost : IAsyncDisposable
{
    private readonly Factory _factory;
    private readonly FakeLogCollector _log = new();

    private WorkerHost(IReadOnlyDictionary<string, string> settings)
    {
        _factory = new Factory(settings, _log);
        _ = _factory.Server; // starts the host and its loops
    }

    /// <summary>What the worker logged so far (warnings and errors, as its process prints them), for failure messages.</summary>
    public string Log => string.Join('\n', _log.GetSnapshot().Select(record =>
        $"{record.Level}: {record.Category}: {record.Message}{(record.Exception is null ? "" : $"\n{record.Exception}")}"));

    public IServiceProvider Services => _factory.Services;

    /// <param name="scannerPort">clamd's port; null switches scanning off.</param>
    public static WorkerHost Start(ApiScenario scenario, string appConnection, int? scannerPort, IReadOnlyDictionary<string, string>? settings = null) =>
        new(WorkerSettings.For(scenario, appConnection, scannerPort, settings));

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private sealed class Factory(IReadOnlyDictionary<string, string> settings, FakeLogCollector log) : WebApplicationFactory<ProcessingMetrics>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.AddProvider(new FakeLoggerProvider(log)));
        }
    }
}
