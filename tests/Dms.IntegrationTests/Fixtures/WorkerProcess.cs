using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Fixtures;

/// <summary>
/// The worker as its own process, on the scenario's database and blob folder: it can be killed like a real one, must
/// outlive what it meets, and exports what a process exports. Tests of what it does with documents use the cheaper
/// <see cref="WorkerHost"/>.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _log = new();

    private WorkerProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Where the worker serves <c>/health</c> and <c>/alive</c>.</summary>
    public Uri Url { get; }

    /// <summary>What the worker printed so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <param name="scannerPort">clamd's port; null switches scanning off.</param>
    /// <param name="settings">More settings, by their configuration keys (<c>Dms:Processing:MaxAttempts</c>).</param>
    public static WorkerProcess Start(ApiScenario scenario, string appConnection, int? scannerPort, IReadOnlyDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Dms.Worker.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var url = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        start.Environment["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/');
        foreach (var (key, value) in WorkerSettings.For(scenario, appConnection, scannerPort, settings))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("The worker did not start."), url);
    }

    /// <summary>
    /// Waits until the worker's <c>/health</c> says its loop has read the queue (whatever the scanner's entry says): a
    /// worker started while the suites load both cores has taken more than half a minute to get there. Fails with
    /// what the worker printed if it exits or is not there within <paramref name="timeout"/>.
    /// </summary>
    public async Task ReadingTheQueueAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
        var cancellation = TestContext.Current.CancellationToken;
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until && !_process.HasExited)
        {
            try
            {
                using var answer = await http.GetAsync("/health", cancellation);
                var report = await answer.Content.ReadFromJsonAsync<JsonElement>(cancellation);
                if (report.GetProperty("entries").GetProperty("processing-loop").GetProperty("status").GetString() == "Healthy")
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
            {
                // Too busy to answer within the client's timeout.
            }

            await Task.Delay(250, cancellation);
        }

        throw new TimeoutException($"The worker {(_process.HasExited ? $"exited with code {_process.ExitCode}" : $"did not read the queue within {timeout}")}:\n{Log}");
    }

    /// <summary>SIGKILL: no shutdown, no lease released, like a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
