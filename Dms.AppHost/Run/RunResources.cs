using Aspire.Hosting.ApplicationModel;
using Dms.AppHost.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Dms.AppHost.Run;

public static class RunResources
{
    /// <summary>
    /// The console's account of the run (<see cref="RunMonitor"/>): ready, with the URLs and the demo users; or what
    /// failed, its last log lines and what to do, and then everything stops.
    /// </summary>
    public static void AddRunMonitor(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> api, IResourceBuilder<ProjectResource> web, IdentityProvider identity)
    {
        // Publishing runs nothing: no ports to check, nothing to watch or start again, no dashboard to sign in to.
        if (!builder.ExecutionContext.IsRunMode)
        {
            return;
        }

        var dashboard = builder.Configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var dashboardToken = dashboard is null ? null : DashboardSignIn.UseBrowserToken(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(RunSettings.Read(builder.Configuration));
        builder.Services.AddSingleton(new ReadyMessage(dashboard, dashboardToken, web.GetEndpoint("http"), api.GetEndpoint("http"), identity is LocalIdentity));
        // When a resource fails the monitor cuts the host's start short, which the host would log as "Hosting failed to
        // start" with a stack trace under the monitor's account: appsettings.json keeps that logger quiet.
        builder.Services.AddSingleton<RunMonitor>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RunMonitor>());

        builder.Eventing.Subscribe<BeforeStartEvent>((start, _) =>
        {
            var taken = FixedPorts.Taken(start.Model, builder.Configuration);
            if (taken.Count > 0)
            {
                Console.Error.WriteLine(string.Join(Environment.NewLine, [
                    "",
                    .. taken.Select(t => $"Dms did not start: port {t.Port}, which {t.Owner} listens on, is taken by another program."),
                    "What to do: stop that program (ss -ltnp shows which one holds the port; it may be an earlier Dms still running) and start again.",
                ]));
                Environment.ExitCode = 1;
                start.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            }

            return Task.CompletedTask;
        });
    }
}
