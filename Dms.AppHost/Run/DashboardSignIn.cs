using Microsoft.Extensions.Configuration;

namespace Dms.AppHost.Run;

/// <summary>
/// The Aspire dashboard shows every log line and trace (tenant and document ids, users' e-mail addresses) and runs the
/// worker's commands (purge dead letters among them): it asks who you are. Its browser token is made on the first run
/// and kept owner-only in the state folder, so the sign-in link the ready line prints works across runs and no other
/// user of the machine can read it. (Setting <c>ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS</c> yourself opens it again.)
/// </summary>
public static class DashboardSignIn
{
    private const string TokenFile = "dashboard-token";

    /// <summary>The token the dashboard's sign-in link carries; null when the dashboard was opened to anyone.</summary>
    public static string? UseBrowserToken(IDistributedApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>("ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"))
        {
            return null;
        }

        var token = LocalSecrets.ReadOrCreate(StateFolder.Of(builder.Configuration, builder.AppHostDirectory), TokenFile);
        builder.Configuration["AppHost:BrowserToken"] = token;
        return token;
    }

    /// <summary>The address that signs a browser in to the dashboard at <paramref name="dashboard"/>.</summary>
    public static string SignInLink(string dashboard, string? token) =>
        token is null ? dashboard : $"{dashboard.TrimEnd('/')}/login?t={token}";
}
