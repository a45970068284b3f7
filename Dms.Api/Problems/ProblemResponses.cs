using System.Diagnostics;
using Dms.Persistence;
using Dms.Search;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Dms.Api.Problems;

/// <summary>Every error the API returns is RFC 9457 ProblemDetails with a stable type, a human detail and a trace id.</summary>
public static class ProblemResponses
{
    /// <summary>What a 503 tells the client to wait before retrying.</summary>
    public const string RetryAfterSeconds = "5";

    public static IHostApplicationBuilder AddProblemResponses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
            {
                problem.Type = ProblemTypes.ForStatus(status);
            }

            problem.Detail ??= DetailFor(status, context.Exception);
            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
            }
        });
        return builder;
    }

    public static WebApplication UseProblemResponses(this WebApplication app)
    {
        // Every answer, problems included: a browser never guesses a type other than the one given.
        app.Use((http, next) =>
        {
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return next(http);
        });
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusFor });
        app.UseStatusCodePages();
        // A request that found the database gone empties the pool of connections that went with it (DatabaseOutages).
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (Exception e) when (DatabaseOutages.IsOutage(e))
            {
                http.RequestServices.GetService<NpgsqlDataSource>()?.ForgetConnectionsAfter(e);
                throw;
            }
        });
        return app;
    }

    private static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ when DatabaseOutages.IsOutage(exception) => StatusCodes.Status503ServiceUnavailable,
        // The database refuses the api's password (a rotation that outlasted the wait): unavailable, not the client's fault.
        PostgresException { SqlState: PostgresErrorCodes.InvalidPassword } => StatusCodes.Status503ServiceUnavailable,
        SearchUnavailableException => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    // Exception messages are not shown: they can carry SQL, paths or other tenants' data. The one exception is a
    // malformed request, whose message only describes what the client sent.
    private static string? DetailFor(int status, Exception? exception) => (status, exception) switch
    {
        (_, BadHttpRequestException bad) => bad.Message,
        (_, SearchUnavailableException) => "The search index is unavailable. Retry in a few seconds.",
        (StatusCodes.Status503ServiceUnavailable, not null) => "The database is unavailable. Retry in a few seconds.",
        (>= 500, not null) => "An unexpected error occurred. Quote the traceId when reporting it.",
        _ => null,
    };
}
