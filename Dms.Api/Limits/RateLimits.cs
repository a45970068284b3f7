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
/// ASP.NET Core's rate limiter, partitioned by tenant and by user with the limits of the tenant's plan: one tenant's
/// burst (or one user's script) is refused with 429 and <c>Retry-After</c> before it takes the API, the database pool
/// or the queue from the others. Operators and anonymous requests (signed upload URLs, health) are not limited here.
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
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => PartitionFor(http, perUser: false)),
                PartitionedRateLimiter.Create<HttpContext, string>(http => PartitionFor(http, perUser: true)));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                var limits = Limits(http);
                await TypedResults.Problem(
                    detail: $"Too many requests: this tenant may send {limits.TenantRequestsPerSecond} and each user {limits.UserRequestsPerSecond} a second. Retry after {retryAfter} s.",
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

    private static Caller? CallerOf(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true ? Caller.From(http.User, http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value) : null;

    private static PlanLimits Limits(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.For(http.Items[PlanItem] as string);

    private static RateLimitPartition<string> PartitionFor(HttpContext http, bool perUser)
    {
        if (CallerOf(http) is not { } caller)
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }

        var limits = Limits(http);
        var perSecond = perUser ? limits.UserRequestsPerSecond : limits.TenantRequestsPerSecond;
        // The plan is part of the key: a tenant moved to another plan gets its new limits at once.
        var key = perUser ? $"{caller.TenantId}/{caller.Subject}/{perSecond}" : $"{caller.TenantId}/{perSecond}";
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = 2 * perSecond,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
