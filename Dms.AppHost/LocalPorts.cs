using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace Dms.AppHost;

/// <summary>The fixed ports of the local stand-ins: a configured one, the usual one, or (0) any free one, so test runs can sit side by side.</summary>
public static class LocalPorts
{
    public static int Of(IConfigurationSection section, int usual) =>
        section.GetValue<int?>("Port") switch { null => usual, 0 => Free(), var chosen => chosen.Value };

    /// <summary>
    /// A port free on 127.0.0.1 now, for a stand-in that listens itself (not behind the orchestrator's proxy). Chosen
    /// below the kernel's ephemeral range: the orchestrator's own listeners get their ports there (a bind to port 0),
    /// so a port from that range could be handed to one of them between this choice and the stand-in's start (a run
    /// failed so: PostgreSQL found its port taken).
    /// </summary>
    public static int Free()
    {
        var ephemeralStart = EphemeralRangeStart();
        for (var attempt = 0; attempt < 100 && ephemeralStart > LowestChosen + 1000; attempt++)
        {
            var port = Random.Shared.Next(LowestChosen, ephemeralStart);
            if (IsFree(port))
            {
                return port;
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether nothing listens on <paramref name="port"/> of 127.0.0.1 now.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return false;
        }
    }

    private const int LowestChosen = 20_000;

    private static int EphemeralRangeStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out var start)
            ? start
            : 0;
    }
}
