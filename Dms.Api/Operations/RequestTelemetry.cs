using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;

namespace Dms.Api.Operations;

/// <summary>
/// One completion line per request, with the fields the runbook's log queries read (<c>path</c>, <c>duration</c> in
/// ms, <c>statusCode</c>; <c>error</c> on a 5xx), and the request counted in <see cref="RequestStatistics"/>. Health
/// probes are left out of both: they would drown what matters.
/// </summary>
public static partial class RequestTelemetry
{
    public static IHostApplicationBuilder AddRequestTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RequestStatistics>();
        return builder;
    }

    /// <summary>First in the pipeline, so it sees the status the exception handler and status pages settled on.</summary>
    public static WebApplication UseRequestTelemetry(this WebApplication app)
    {
        var statistics = app.Services.GetRequiredService<RequestStatistics>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dms.Api.Requests");
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/alive"))
            {
                await next(context);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                var status = context.Response.StatusCode;
                statistics.Record(elapsed, status);
                var duration = Math.Round(elapsed.TotalMilliseconds, 1);
                if (status >= 500)
                {
                    var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                    LogFailed(logger, context.Request.Method, context.Request.Path, status, duration, error?.Message ?? $"answered {status}", error);
                }
                else
                {
                    LogAnswered(logger, context.Request.Method, context.Request.Path, status, duration);
                }
            }
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {method} {path} answered {statusCode} in {duration} ms")]
    private static partial void LogAnswered(ILogger logger, string method, string path, int statusCode, double duration);

    [LoggerMessage(Level = LogLevel.Error, Message = "HTTP {method} {path} answered {statusCode} in {duration} ms: {error}")]
    private static partial void LogFailed(ILogger logger, string method, string path, int statusCode, double duration, string error, Exception? exception);
}
