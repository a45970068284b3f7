using System.Collections.Concurrent;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Dms.Tenants;

/// <summary>
/// Each tenant's plan, read from the database at most once a minute per tenant: the rate limits are per plan and
/// are checked on every request, which must not cost a query each.
/// </summary>
public sealed class TenantPlans(IServiceScopeFactory scopes, TimeProvider time)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<Guid, (string? Plan, DateTimeOffset ReadAt)> _plans = new();

    /// <summary>The tenant's plan; null for a tenant that does not exist.</summary>
    public async ValueTask<string?> GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_plans.TryGetValue(tenantId, out var known) && now - known.ReadAt < Freshness)
        {
            return known.Plan;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DmsDbContext>();
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var plan = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Plan).SingleOrDefaultAsync(cancellationToken);
        _plans[tenantId] = (plan, now);
        return plan;
    }
}
