using System.Threading.RateLimiting;
using Dms.Identity.Protocol;
using Microsoft.AspNetCore.RateLimiting;

namespace Dms.Identity.Accounts;

/// <summary>
/// Each client address may post so many sign-in forms a minute (<see cref="ProviderOptions.SignInAttemptsPerMinute"/>),
/// whichever accounts it tries: one guesser cannot walk the users' lockouts one after the other. Refused with 429.
/// </summary>
public static class SignInThrottle
{
    public const string Policy = "sign-in";

    public static IServiceCollection AddSignInThrottle(this IServiceCollection services, ProviderOptions options) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await context.HttpContext.Response.WriteAsync("Too many sign-in attempts from this address: wait a minute and try again.", cancellationToken);
            };
            limiter.AddPolicy(Policy, http => HttpMethods.IsGet(http.Request.Method)
                ? RateLimitPartition.GetNoLimiter("get")
                : RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.SignInAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                }));
        });
}
