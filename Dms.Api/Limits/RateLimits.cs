using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Common;
using Dms.Tenants;
using Microsoft.Extensions.Options;

namespace Dms.Api.Limits;

/// <summary>Requests a tenant, and each of its users, may send: token buckets refilled every second.</summary>
public sealed class PlanLimits
{
    /// <summary>Requests per second for the whole tenant; twice as many may come at once after a quiet moment.</summary>
    [Range(1, 1_000_000)]
    public int TenantRequestsPerSecond { get; set; } = 200;

    /// <summary>Requests per second for one user (one token subject) of the tenant.</summary>
    [Range(1, 1_000_000)]
    public int UserRequestsPerSecond { get; set; } = 100;
}

/// <summary>The rate limits per plan, bound from <c>Dms:RateLimits</c>: <c>Default</c>, and <c>Plans:{plan}</c> for named plans.</summary>
public sealed class RateLimitOptions : IValidatableObject
{
    public const string Section = "Dms:RateLimits";

    public PlanLimits Default { get; set; } = new();

    /// <summary>
    /// Requests per second from one client address without a valid token (the info route, signed upload URLs, health,
    /// a bad token); twice as many may come at once.
    /// </summary>
    [Range(1, 1_000_000)]
    public int AnonymousRequestsPerSecond { get; set; } = 50;

    public Dictionary<string, PlanLimits> Plans { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public PlanLimits For(string? plan) => plan is not null && Plans.TryGetValue(plan, out var limits) ? limits : Default;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, limits) in Plans.Prepend(new("Default", Default)))
        {
            if (limits.TenantRequestsPerSecond < 1 || limits.UserRequestsPerSecond < 1)
            {
                yield return new ValidationResult($"{Section}:{name}: TenantRequestsPerSecond and UserRequestsPerSecond must be at least 1.");
            }
        }
    }
}

/// <summary>
/// ASP.NET Core's rate limiter, partitioned by user and then by tenant with the limits of the tenant's plan: one
/// tenant's burst (or one user's script) is refused with 429 and <c>Retry-After</c> before it takes the API, the
/// database pool or the queue from the others. The user's bucket is charged first, so a request refused to one user
/// costs the tenant nothing: a user's flood leaves the rest of the tenant's budget to its other users. Requests
/// without a valid token are limited per client address (behind a load balancer, the address it forwards); operators
/// are not limited.
/// </summary>
public static class RateLimits
{
    private const string PlanItem = "dms.plan";

    public static IHostApplicationBuilder AddRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<RateLimitOptions>(RateLimitOptions.Section);
        builder.Services.AddSingleton<TenantPlans>();
        builder.Services.AddRateLimiter(options =>
        {
            // Chained limiters are asked in order and stop at the first refusal: the user's (or the address's) first.
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => PartitionFor(http, perUser: true)),
                PartitionedRateLimiter.Create<HttpContext, string>(http => PartitionFor(http, perUser: false)));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                var detail = !IsSignedIn(http)
                    ? $"Too many requests from this address without a token: {Options(http).AnonymousRequestsPerSecond} a second are allowed. Retry after {retryAfter} s."
                    : $"Too many requests: this tenant may send {Limits(http).TenantRequestsPerSecond} and each user {Limits(http).UserRequestsPerSecond} a second. Retry after {retryAfter} s.";
                await TypedResults.Problem(
                    detail: detail,
                    statusCode: StatusCodes.Status429TooManyRequests,
                    type: ProblemTypes.For("rate-limited")).ExecuteAsync(http);
            };
        });
        return builder;
    }

    /// <summary>Reads the caller's plan (cached) before the limiter, whose partitions are chosen synchronously.</summary>
    public static WebApplication UseRateLimits(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (CallerOf(http) is { } caller)
            {
                http.Items[PlanItem] = await http.RequestServices.GetRequiredService<TenantPlans>().GetAsync(caller.TenantId, http.RequestAborted);
            }

            await next(http);
        });
        app.UseRateLimiter();
        return app;
    }

    private static bool IsSignedIn(HttpContext http) => http.User.Identity?.IsAuthenticated == true;

    private static Caller? CallerOf(HttpContext http) =>
        IsSignedIn(http) ? Caller.From(http.User, http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value) : null;

    private static RateLimitOptions Options(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;

    private static PlanLimits Limits(HttpContext http) => Options(http).For(http.Items[PlanItem] as string);

    private static RateLimitPartition<string> PartitionFor(HttpContext http, bool perUser)
    {
        if (!IsSignedIn(http))
        {
            // One bucket per client address, in the first limiter only: there is no tenant to charge.
            var perAddress = Options(http).AnonymousRequestsPerSecond;
            return perUser ? Bucket($"address/{http.Connection.RemoteIpAddress}/{perAddress}", perAddress) : RateLimitPartition.GetNoLimiter("no tenant");
        }

        if (CallerOf(http) is not { } caller)
        {
            return RateLimitPartition.GetNoLimiter("operators");
        }

        var limits = Limits(http);
        var perSecond = perUser ? limits.UserRequestsPerSecond : limits.TenantRequestsPerSecond;
        // The plan is part of the key: a tenant moved to another plan gets its new limits at once.
        return Bucket(perUser ? $"user/{caller.TenantId}/{caller.Subject}/{perSecond}" : $"tenant/{caller.TenantId}/{perSecond}", perSecond);
    }

    private static RateLimitPartition<string> Bucket(string key, int perSecond) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = 2 * perSecond,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
