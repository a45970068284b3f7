using Microsoft.EntityFrameworkCore;

namespace Dms.Persistence;

/// <summary>What a tenant lock serializes: one kind of check-then-write per tenant, no more.</summary>
public enum TenantLock
{
    /// <summary>Counting a tenant's waiting page renderings and adding one (<c>OpenPreview</c>'s cap).</summary>
    PageRenderings = 1,

    /// <summary>Sealing a tenant's audit events (<c>AuditChain</c>): one sealer extends a chain at a time.</summary>
    AuditChain = 2,
}

/// <summary>
/// PostgreSQL advisory locks held until the transaction ends, one per tenant and purpose: a count and the insert it
/// allows cannot interleave with another request's of the same tenant, and other tenants (and other purposes) never wait.
/// </summary>
public static class TenantLocks
{
    public static Task LockAsync(this DmsDbContext db, TenantLock purpose, Guid tenantId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({(int)purpose}, hashtext({tenantId.ToString()}))", cancellationToken);
}
