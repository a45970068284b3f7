using System.Diagnostics;
using System.Net.Sockets;

namespace Dms.TestSupport;

/// <summary>
/// A real clamd on a free loopback port, with one signature of our own for the EICAR test file (there is no
/// internet for freshclam). Stop and start it to play a scanner outage.
/// </summary>
public sealed class TemporaryClamd : IAsyncDisposable
{
    public const string Eicar = @"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dms-clamd-");
    private Process? _process;

    public TemporaryClamd(int? port = null)
    {
        Port = port ?? LoopbackPort.Free();
        var signatures = Directory.CreateDirectory(Path.Combine(_folder.FullName, "signatures"));
        File.WriteAllText(Path.Combine(signatures.FullName, "eicar.ndb"), $"Dms.Test.EICAR:0:*:{Convert.ToHexStringLower(System.Text.Encoding.ASCII.GetBytes(Eicar))}\n");
        File.WriteAllText(ConfigPath, $"""
            Foreground yes
            TCPSocket {Port}
            TCPAddr 127.0.0.1
            DatabaseDirectory {signatures.FullName}
            StreamMaxLength 200M
            """);
    }

    public int Port { get; }

    private string ConfigPath => Path.Combine(_folder.FullName, "clamd.conf");

    public async Task StartAsync()
    {
        _process = Process.Start(new ProcessStartInfo("clamd", ["--config-file=" + ConfigPath]) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("clamd did not start.");
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
