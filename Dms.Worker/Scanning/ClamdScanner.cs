using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Dms.Documents;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Scanning;

/// <summary>
/// Scans with clamd over TCP using its INSTREAM command: the bytes go in chunks, each after its 4-byte big-endian
/// length, ended by a zero length; clamd answers <c>stream: OK</c>, <c>stream: NAME FOUND</c> or <c>... ERROR</c>. A file
/// past clamd's limits is "cannot scan", never clean.
/// </summary>
public sealed class ClamdScanner(IOptions<ScannerOptions> options) : IMalwareScanner
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>The names clamd gives (with <c>AlertExceedsMax</c>) to an archive or file past its scan limits.</summary>
    private const string LimitsExceeded = "Heuristics.Limits.Exceeded";

    public async Task<ScanResult> ScanAsync(Stream content, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxFileBytes;
        if (content.CanSeek && content.Length > limit)
        {
            return ScanResult.CannotScan($"The file is {content.Length:N0} bytes; the malware scanner takes at most {limit:N0}, so it cannot be scanned and will not be served.");
        }

        var reply = await SendAsync("zINSTREAM\0"u8.ToArray(), content, cancellationToken);
        if (reply.EndsWith(" FOUND", StringComparison.Ordinal))
        {
            var name = reply["stream: ".Length..^" FOUND".Length];
            return name.StartsWith(LimitsExceeded, StringComparison.Ordinal)
                ? ScanResult.CannotScan($"Part of the file is beyond the malware scanner's limits ({name}), so it cannot be scanned and will not be served.")
                : ScanResult.Found(name);
        }

        if (reply.Contains("size limit exceeded", StringComparison.OrdinalIgnoreCase))
        {
            return ScanResult.CannotScan("The file is larger than the malware scanner takes, so it cannot be scanned and will not be served.");
        }

        return reply == "stream: OK"
            ? ScanResult.Clean
            : throw new ScannerUnavailableException($"clamd gave no verdict: {reply}");
    }

    /// <summary>True when clamd answers PING with PONG.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken) =>
        await SendAsync("zPING\0"u8.ToArray(), null, cancellationToken) == "PONG";

    private async Task<string> SendAsync(byte[] command, Stream? content, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(settings.Host, settings.Port, timeout.Token);
            await using var stream = client.GetStream();
            await stream.WriteAsync(command, timeout.Token);
            if (content is not null)
            {
                try
                {
                    await StreamChunksAsync(content, stream, timeout.Token);
                }
                catch (IOException)
                {
                    // clamd closes the connection once the stream passes its StreamMaxLength; its reply says so.
                }
            }

            using var reply = new MemoryStream();
            await stream.CopyToAsync(reply, timeout.Token);
            return Encoding.ASCII.GetString(reply.ToArray()).TrimEnd('\0', '\n');
        }
        catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ScannerUnavailableException($"clamd at {settings.Host}:{settings.Port} did not answer: {e.Message}", e);
        }
    }

    private static async Task StreamChunksAsync(Stream content, NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize + 4);
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(4, ChunkSize), cancellationToken)) > 0)
            {
                BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)read);
                await stream.WriteAsync(buffer.AsMemory(0, read + 4), cancellationToken);
            }

            BinaryPrimitives.WriteUInt32BigEndian(buffer, 0);
            await stream.WriteAsync(buffer.AsMemory(0, 4), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
