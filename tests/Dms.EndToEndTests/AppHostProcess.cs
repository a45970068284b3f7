using System.Diagnostics;
using System.Text;
using Dms.TestSupport;

namespace Dms.EndToEndTests;

/// <summary>
/// The AppHost's own program run as <c>./dms.sh run</c> runs it (its build output, in its project folder, the local
/// dashboard over plain HTTP), with what it prints kept, so a test sees what a person at the console sees. The
/// dashboard and the other local stand-ins get ports of their own, so it runs beside other tests and beside a
/// developer's <c>./dms.sh run</c>.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Lock _gate = new();

    private AppHostProcess(Process process) => _process = process;

    public string Output
    {
        get { lock (_gate) { return _output.ToString(); } }
    }

    public string Error
    {
        get { lock (_gate) { return _error.ToString(); } }
    }

    public int ProcessId => _process.Id;

    /// <param name="settings">The AppHost's settings, as <c>./dms.sh run -- --Key=value</c> passes them.</param>
    public static AppHostProcess Start(string stateDirectory, params string[] settings)
    {
        var project = Projects.Dms_AppHost.ProjectPath; // the folder (its metadata names no project file)
        var program = Path.Combine(project, "bin", "Debug", "net10.0", "Dms.AppHost");
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[$"--Dms:StateDirectory={stateDirectory}", "--Dms:Postgres:Port=0", "--Dms:Scanner:Port=0", .. settings])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://localhost:{LoopbackPort.Free()}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = $"http://localhost:{LoopbackPort.Free()}";
        start.Environment["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://localhost:{LoopbackPort.Free()}";
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var appHost = new AppHostProcess(process);
        process.OutputDataReceived += (_, line) => appHost.Append(appHost._output, line.Data);
        process.ErrorDataReceived += (_, line) => appHost.Append(appHost._error, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return appHost;
    }

    /// <summary>Waits until the AppHost ends by itself; its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The AppHost was still running after {limit.TotalSeconds:0} s.\n--- stdout\n{Output}\n--- stderr\n{Error}");
        }

        _process.WaitForExit(); // the last lines of its output
        return _process.ExitCode;
    }

    /// <summary>Waits until a line of its standard output contains <paramref name="text"/>; that line.</summary>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            if (Output.Split('\n').FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        throw new TimeoutException($"The AppHost printed no line with '{text}'.\n--- stdout\n{Output}\n--- stderr\n{Error}");
    }

    /// <summary>What Ctrl-C does to <c>./dms.sh run</c>: the script passes it on as SIGTERM.</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Terminate();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            text.AppendLine(line);
        }
    }
}
