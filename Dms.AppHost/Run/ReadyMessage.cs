using Dms.Contracts;
using Aspire.Hosting.ApplicationModel;
using Dms.AppHost.Identity;

namespace Dms.AppHost.Run;

/// <summary>The one line the console shows once every resource is ready: where things are and who can sign in.</summary>
/// <param name="DashboardUrl">The Aspire dashboard's address as configured, if it runs (the orchestrator may give it another port).</param>
/// <param name="DashboardToken">The dashboard's browser token; null when it was opened to anyone.</param>
/// <param name="Web">The web app's HTTP endpoint: where people go.</param>
/// <param name="Api">The api's HTTP endpoint.</param>
/// <param name="DemoUsers">Whether the local identity provider holds the demo users.</param>
public sealed record ReadyMessage(string? DashboardUrl, string? DashboardToken, EndpointReference Web, EndpointReference Api, bool DemoUsers)
{
    /// <summary>The name Aspire gives the dashboard's resource.</summary>
    private const string DashboardResource = "aspire-dashboard";

    public async Task<string> FormatAsync(DistributedApplicationModel model, CancellationToken cancellationToken)
    {
        var api = await Api.GetValueAsync(cancellationToken);
        var parts = new List<string> { $"web app {await Web.GetValueAsync(cancellationToken)}" };
        if (DashboardUrl is not null)
        {
            var allocated = model.Resources.FirstOrDefault(r => r.Name == DashboardResource)?.Annotations.OfType<EndpointAnnotation>()
                .Select(e => e.AllocatedEndpoint?.UriString).FirstOrDefault(url => url?.StartsWith("http", StringComparison.Ordinal) == true);
            parts.Add($"dashboard {DashboardSignIn.SignInLink(allocated ?? DashboardUrl, DashboardToken)}");
        }

        parts.Add($"API {api} (reference {api}/scalar)");
        parts.Add(DemoUsers
            ? $"demo users {string.Join(", ", DemoIdentity.Users.Select(u => u.Email))}, password {DemoIdentity.Password} (./dms.sh token editor prints a token)"
            : "users: those of the configured user pool");
        return $"Dms is ready: {string.Join(" | ", parts)}";
    }
}
