using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace Dms.AppHost;

/// <summary>The fixed ports of the local stand-ins: a configured one, the usual one, or (0) any free one, so test runs can sit side by side.</summary>
public static class LocalPorts
{
    public static int Of(IConfigurationSection section, int usual) =>
        section.GetValue<int?>("Port") switch { null => usual, 0 => Free(), var chosen => chosen.Value };

    /// <summary>A port free on 127.0.0.1 now, for a stand-in that listens itself (not behind the orchestrator's proxy).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
