using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Scanning;

/// <summary>
/// Scans with clamd over TCP using its INSTREAM command: the bytes go in chunks, each after its 4-byte big-endian
/// length, ended by a zero length; clamd answers <c>stream: OK</c>, <c>stream: NAME FOUND</c> or <c>... ERROR</c>.
/// </summary>
public sealed class ClamdScanner(IOptions<ScannerOptions> options) : IMalwareScanner
{
    private const int ChunkSize = 64 * 1024;

    public async Task<ScanVerdict> ScanAsync(Stream content, CancellationToken cancellationToken)
    {
        var reply = await SendAsync("zINSTREAM\0"u8.ToArray(), content, cancellationToken);
        if (reply.EndsWith(" FOUND", StringComparison.Ordinal))
        {
            return new ScanVerdict(reply["stream: ".Length..^" FOUND".Length]);
        }

        return reply == "stream: OK"
            ? ScanVerdict.Clean
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
                await StreamChunksAsync(content, stream, timeout.Token);
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
