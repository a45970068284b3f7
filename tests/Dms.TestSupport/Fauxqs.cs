using System.Diagnostics;
using Xunit;

namespace Dms.TestSupport;

/// <summary>
/// npm fauxqs, an S3 and SQS stand-in, started on 127.0.0.1 for the tests that talk to S3. What it cannot prove:
/// it accepts any signature and expired URLs, and keeps no versions; those stay unproven until real AWS.
/// </summary>
public sealed class Fauxqs : IAsyncLifetime
{
    private Process? _process;
    private IDisposable? _credentials;

    public string ServiceUrl { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        // fauxqs takes any credentials, but the AWS SDK's credential chain must find some.
        _credentials = EnvironmentVariables.Set(("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"));

        var start = Path.Combine(RepositoryRoot(), "tools", "fauxqs", "start.mjs");
        _process = Process.Start(new ProcessStartInfo("node", [start])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["FAUXQS_PORT"] = "0" },
        }) ?? throw new InvalidOperationException("Could not start fauxqs.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await _process.StandardOutput.ReadLineAsync(timeout.Token)
            ?? throw new InvalidOperationException($"fauxqs exited: {await _process.StandardError.ReadToEndAsync()}");
        ServiceUrl = line[(line.IndexOf("http://", StringComparison.Ordinal))..].Trim();
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process?.Dispose();
        _credentials?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The checkout the tests were built from: the folder that holds Dms.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dms.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests do not run from a checkout of the repository.");
    }
}
