using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Dms.AppHost;

/// <summary>
/// Hands a project the settings given to the AppHost under some sections (<c>./dms.sh run -- --Dms:Processing:Concurrency=4</c>,
/// the AppHost's appsettings or user secrets), so the whole system is configured in one place.
/// </summary>
public static class ProjectSettings
{
    public static IResourceBuilder<ProjectResource> WithSettingsOf(this IResourceBuilder<ProjectResource> project, params string[] sections)
    {
        var configuration = project.ApplicationBuilder.Configuration;
        foreach (var setting in sections.SelectMany(section => configuration.GetSection(section).AsEnumerable()).Where(s => s.Value is not null))
        {
            project.WithEnvironment(setting.Key.Replace(":", "__", StringComparison.Ordinal), setting.Value);
        }

        return project;
    }
}
