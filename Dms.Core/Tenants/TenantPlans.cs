using System.Collections.Concurrent;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dms.Tenants;

/// <summary>
/// Each tenant's plan, read from the database at most once a minute per tenant: the rate limits are per plan and
/// are checked on every request, which must not cost a query each. Only a tenant's first request waits for the
/// read; after that a plan older than a minute is answered at once and read again in the background, so a slow or
/// stalled database never holds a request up here.
/// </summary>
public sealed class TenantPlans(IServiceScopeFactory scopes, TimeProvider time)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<Guid, Known> _plans = new();

    /// <summary>The tenant's plan; null for a tenant that does not exist.</summary>
    public async ValueTask<string?> GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (!_plans.TryGetValue(tenantId, out var known))
        {
            return await ReadAsync(tenantId, cancellationToken);
        }

        if (time.GetUtcNow() - known.ReadAt >= Freshness && Interlocked.Exchange(ref known.Refreshing, 1) == 0)
        {
            _ = RefreshAsync(tenantId, known);
        }

        return known.Plan;
    }

    private async Task RefreshAsync(Guid tenantId, Known known)
    {
        try
        {
            await ReadAsync(tenantId, CancellationToken.None);
        }
        catch (Exception)
        {
            // The database is unreachable: the plan known stays, and the next request past the minute tries again.
            Volatile.Write(ref known.Refreshing, 0);
        }
    }

    private async Task<string?> ReadAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DmsDbContext>();
        using var reading = db.ReadAsTenant(tenantId);
        var plan = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Plan).SingleOrDefaultAsync(cancellationToken);
        _plans[tenantId] = new Known(plan, now);
        return plan;
    }

    private sealed class Known(string? plan, DateTimeOffset readAt)
    {
        public string? Plan { get; } = plan;

        public DateTimeOffset ReadAt { get; } = readAt;

        /// <summary>1 while a background read is under way.</summary>
        public int Refreshing;
    }
}
