using Dms.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>What every Dms process shares: telemetry, health endpoints, resilient and discoverable HttpClients.</summary>
public static class Extensions
{
    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";
    private const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // A write that timed out or failed may have done its work (a document created, a user added): only reads
            // are sent again.
            http.AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        // JSON lines for log collectors that read stdout: chosen with Logging:Console:FormatterName=dms-json.
        builder.Logging.AddConsoleFormatter<JsonLogFormatter, ConsoleFormatterOptions>();

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetryNames.Dms))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetryNames.Dms)
                .AddAspNetCoreInstrumentation(aspnet =>
                    // Health probes every few seconds would drown the traces that matter.
                    aspnet.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation());

        // OTLP only when an endpoint is configured (the Aspire dashboard sets one; in AWS the collector beside the task);
        // otherwise telemetry stays in-process.
        var signals = OtlpSignals.From(builder.Configuration);
        if (signals.All)
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        else if (signals.Any)
        {
            var telemetry = builder.Services.AddOpenTelemetry();
            if (signals.Metrics)
            {
                telemetry.WithMetrics(metrics => metrics.AddOtlpExporter());
            }

            if (signals.Traces)
            {
                telemetry.WithTracing(tracing => tracing.AddOtlpExporter());
            }

            if (signals.Logs)
            {
                builder.Logging.AddOpenTelemetry(logging => logging.AddOtlpExporter());
            }
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.AddSingleton<CachedHealthReport>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// <c>/alive</c>: liveness, only the checks tagged "live" (the process answers): what load balancers and container
    /// health checks probe, so a dependency's blip never takes a healthy process out of service. <c>/health</c>:
    /// readiness, every check, run at most once per <see cref="CachedHealthReport.CacheFor"/>; its status for anyone,
    /// and one entry per check (descriptions name hosts and versions) only where <paramref name="showsDetails"/> says
    /// so (always, when it is null: a process with no public port). Both are served in every environment.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, Func<HttpContext, Task<bool>>? showsDetails = null)
    {
        app.MapGet(HealthEndpointPath, async (HttpContext http, CachedHealthReport health) =>
        {
            var (report, checkedAt) = await health.GetAsync(http.RequestAborted);
            http.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            http.Response.Headers.CacheControl = "no-store";
            await HealthReportWriter.WriteAsync(http, report, checkedAt, showsDetails is null || await showsDetails(http));
        }).ExcludeFromDescription();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = (http, report) => HealthReportWriter.WriteAsync(http, report, DateTimeOffset.UtcNow, details: true),
        });
        return app;
    }
}
