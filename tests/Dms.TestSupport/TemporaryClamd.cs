using System.Diagnostics;
using System.Net.Sockets;

namespace Dms.TestSupport;

/// <summary>
/// A real clamd on a free loopback port, configured by the AppHost's own start script (run-clamd.sh: the same size
/// limits and <c>AlertExceedsMax</c> as <c>./dms.sh run</c>), with one signature of our own for the EICAR test file
/// (there is no internet for freshclam). Stop and start it to play a scanner outage.
/// </summary>
public sealed class TemporaryClamd : IAsyncDisposable
{
    public const string Eicar = @"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dms-clamd-");
    private readonly long _maxBytes;
    private Process? _process;

    /// <param name="maxBytes">What clamd takes: the stream, the scan, and each file inside an archive.</param>
    public TemporaryClamd(int? port = null, long maxBytes = 200 * 1024 * 1024)
    {
        Port = port ?? LoopbackPort.Free();
        _maxBytes = maxBytes;
        var signatures = Directory.CreateDirectory(SignaturesPath);
        File.WriteAllText(Path.Combine(signatures.FullName, "eicar.ndb"), $"Dms.Test.EICAR:0:*:{Convert.ToHexStringLower(System.Text.Encoding.ASCII.GetBytes(Eicar))}\n");
    }

    public int Port { get; }

    private string SignaturesPath => Path.Combine(_folder.FullName, "signatures");

    public async Task StartAsync()
    {
        var script = Path.Combine(Fauxqs.RepositoryRoot(), "Dms.AppHost", "Scanner", "run-clamd.sh");
        _process = Process.Start(new ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["CLAMD_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["CLAMD_STATE"] = _folder.FullName,
                ["CLAMD_DATABASE"] = SignaturesPath,
                ["CLAMD_MAX_BYTES"] = _maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        }) ?? throw new InvalidOperationException("clamd did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await AnswersPingAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"clamd did not answer PING on port {Port} (exit code {(_process.HasExited ? _process.ExitCode : "none")}).");
            }

            await Task.Delay(100);
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port);
            await using var stream = client.GetStream();
            await stream.WriteAsync("zPING\0"u8.ToArray());
            var reply = new byte[8];
            return await stream.ReadAsync(reply) >= 4;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _folder.Delete(recursive: true);
    }
}
