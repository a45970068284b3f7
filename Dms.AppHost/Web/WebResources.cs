namespace Dms.AppHost.Web;

public static class WebResources
{
    /// <summary>
    /// The web app keeps the keys that encrypt its session cookies and antiforgery tokens in the state folder
    /// (owner-only), so a restart of the web app signs nobody out and no open form goes stale.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSessionKeys(this IResourceBuilder<ProjectResource> web, IDistributedApplicationBuilder builder)
    {
        var folder = Path.Combine(StateFolder.Of(builder.Configuration, builder.AppHostDirectory), "web-keys");
        if (builder.ExecutionContext.IsPublishMode)
        {
            // Published, the deployment gives the folder (or the keys live in memory: docs/settings.md).
            return web.WithEnvironment("Dms__Web__KeysFolder", builder.AddParameter("web-keys-folder"));
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return web.WithEnvironment("Dms__Web__KeysFolder", folder);
    }
}
