using Aspire.Hosting.ApplicationModel;
using Dms.AppHost.Identity;

namespace Dms.AppHost.Run;

/// <summary>The one line the console shows once every resource is ready: where things are and who can sign in.</summary>
/// <param name="DashboardUrl">The Aspire dashboard's address, if it runs.</param>
/// <param name="Web">The web app's HTTP endpoint: where people go.</param>
/// <param name="Api">The api's HTTP endpoint.</param>
/// <param name="DemoUsers">Whether the local identity provider holds the demo users.</param>
public sealed record ReadyMessage(string? DashboardUrl, EndpointReference Web, EndpointReference Api, bool DemoUsers)
{
    public async Task<string> FormatAsync(CancellationToken cancellationToken)
    {
        var api = await Api.GetValueAsync(cancellationToken);
        var parts = new List<string> { $"web app {await Web.GetValueAsync(cancellationToken)}" };
        if (DashboardUrl is not null)
        {
            parts.Add($"dashboard {DashboardUrl}");
        }

        parts.Add($"API {api} (reference {api}/scalar)");
        parts.Add(DemoUsers
            ? $"demo users {string.Join(", ", DemoIdentity.Users.Select(u => u.Email))}, password {DemoIdentity.Password} (./dms.sh token editor prints a token)"
            : "users: those of the configured user pool");
        return $"Dms is ready: {string.Join(" | ", parts)}";
    }
}
