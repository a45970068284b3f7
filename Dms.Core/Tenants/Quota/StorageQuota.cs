using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Tenants.Quota;

/// <summary>
/// A tenant's storage quota: bytes are reserved when an upload is created (before any byte is sent) and released
/// when a reservation expires or a document is purged. <see cref="Tenant.UsedBytes"/> is the sum of what is reserved.
/// All run in the caller's transaction, bound to the tenant.
/// </summary>
public sealed class StorageQuota(DmsDbContext db)
{
    /// <summary>
    /// Whether the tenant has room for <paramref name="sizeBytes"/> as far as committed uploads say: a read that locks
    /// nothing, to refuse a plain excess before anything else is done. Only <see cref="ReserveAsync"/> grants.
    /// </summary>
    public async Task<Error?> CheckAsync(Guid tenantId, long sizeBytes, CancellationToken cancellationToken)
    {
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        return tenant is null || tenant.UsedBytes + sizeBytes > tenant.StorageQuotaBytes ? Refusal(tenant, sizeBytes) : null;
    }

    /// <summary>
    /// One statement, so two racing uploads can never push a tenant past its quota. It locks the tenant's row, which
    /// every upload of the tenant takes in turn, until the commit: call it last, right before the commit, so that the
    /// lock is held for the commit alone.
    /// </summary>
    public async Task<Error?> ReserveAsync(Guid tenantId, long sizeBytes, CancellationToken cancellationToken)
    {
        var reserved = await db.Database.ExecuteSqlAsync(
            $"UPDATE tenants SET used_bytes = used_bytes + {sizeBytes} WHERE id = {tenantId} AND used_bytes + {sizeBytes} <= storage_quota_bytes",
            cancellationToken);
        return reserved == 1 ? null : Refusal(await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken), sizeBytes);
    }

    private static Error Refusal(Tenant? tenant, long sizeBytes) =>
        tenant is null
            ? Error.NotFound("The caller's tenant")
            : new Error(ErrorKind.QuotaExceeded, "quota-exceeded",
                $"Storing {sizeBytes} more bytes would exceed the tenant's quota: {tenant.UsedBytes} of {tenant.StorageQuotaBytes} bytes are used.");

    public Task ReleaseAsync(Guid tenantId, long sizeBytes, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"UPDATE tenants SET used_bytes = greatest(used_bytes - {sizeBytes}, 0) WHERE id = {tenantId}", cancellationToken);
}
