using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Dms.AppHost.Run;

/// <summary>
/// The fixed ports the orchestrator listens on for the system: the dashboard's, and the proxies in front of api and
/// worker. Another program on one of them makes no process fail: the proxy cannot listen and its resource stays
/// unhealthy, so they are checked before anything starts. (A resource that listens itself, such as PostgreSQL or
/// clamd, fails at once with its own message when its port is taken.)
/// </summary>
public static class FixedPorts
{
    /// <summary>The AppHost's settings that name the dashboard's addresses.</summary>
    private static readonly string[] DashboardUrls =
        ["ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"];

    /// <summary>Each fixed port that another program already holds on 127.0.0.1, with what the system wanted it for.</summary>
    public static IReadOnlyList<(int Port, string Owner)> Taken(DistributedApplicationModel model, IConfiguration configuration)
    {
        // Tests ask for ports of the orchestrator's choosing, dashboard's included: nothing is fixed then.
        if (configuration.GetValue<bool>("DcpPublisher:RandomizePorts"))
        {
            return [];
        }

        var wanted = new List<(int Port, string Owner)>();
        foreach (var key in DashboardUrls)
        {
            foreach (var url in (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Port > 0)
                {
                    wanted.Add((uri.Port, "the dashboard"));
                }
            }
        }

        foreach (var resource in model.Resources)
        {
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
            {
                if (endpoint.IsProxied && endpoint.Port is { } port and > 0)
                {
                    wanted.Add((port, $"{resource.Name} ({endpoint.Name})"));
                }
            }
        }

        return wanted.DistinctBy(w => w.Port).Where(w => !LocalPorts.IsFree(w.Port)).ToList();
    }
}
