using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Dms.AppHost.Worker;

/// <summary>
/// Hands the worker the pipeline settings given to the AppHost (<c>./dms.sh run -- --Dms:Processing:Concurrency=4</c>,
/// or the AppHost's appsettings), so the whole system is tuned in one place.
/// </summary>
public static class WorkerSettings
{
    private static readonly string[] Sections = ["Dms:Processing", "Dms:Ocr", "Dms:Queue"];

    public static IResourceBuilder<ProjectResource> WithPipelineSettings(this IResourceBuilder<ProjectResource> worker)
    {
        var configuration = worker.ApplicationBuilder.Configuration;
        foreach (var setting in Sections.SelectMany(section => configuration.GetSection(section).AsEnumerable()).Where(s => s.Value is not null))
        {
            worker.WithEnvironment(setting.Key.Replace(":", "__", StringComparison.Ordinal), setting.Value);
        }

        return worker;
    }
}
