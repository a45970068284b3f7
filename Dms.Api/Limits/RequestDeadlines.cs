using Dms.Api.Problems;
using Dms.Persistence;
using Microsoft.AspNetCore.Http.Timeouts;

namespace Dms.Api.Limits;

/// <summary>
/// Every request answers within <see cref="DatabaseDeadline"/>: the database's own timeouts come first (503
/// <c>database-unavailable</c>); this is the backstop for a request stuck anywhere else. Byte transfers (the file
/// store's upload and content downloads) take as long as the bytes do and are left out.
/// </summary>
public static class RequestDeadlines
{
    public static IHostApplicationBuilder AddRequestDeadlines(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRequestTimeouts();
        // Read when the options are first needed, from the configuration the host ends up with (a test host's too).
        builder.Services.AddOptions<RequestTimeoutOptions>().Configure<IConfiguration>((options, configuration) =>
            options.DefaultPolicy = Policy(DatabaseDeadline.Read(configuration)));
        return builder;
    }

    private static RequestTimeoutPolicy Policy(TimeSpan deadline) =>
        new()
        {
            Timeout = deadline,
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            WriteTimeoutResponse = async http =>
            {
                http.Response.Headers.RetryAfter = ProblemResponses.RetryAfterSeconds;
                await TypedResults.Problem(
                    detail: $"The request did not finish within {deadline.TotalSeconds:0} s: a service it needs is slow or unavailable. Retry in a few seconds.",
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    type: ProblemTypes.For("deadline-exceeded")).ExecuteAsync(http);
            },
        };
}
