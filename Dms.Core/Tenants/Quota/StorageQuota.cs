using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Tenants.Quota;

/// <summary>
/// A tenant's storage quota: bytes are reserved when an upload is created (before any byte is sent) and released
/// when a reservation expires or a document is purged. <see cref="Tenant.UsedBytes"/> is the sum of what is reserved.
/// Both run in the caller's transaction, bound to the tenant.
/// </summary>
public sealed class StorageQuota(DmsDbContext db)
{
    /// <summary>
    /// One statement, so two racing uploads can never push a tenant past its quota. It locks the tenant's row, which
    /// every upload of the tenant takes in turn: call it last before the commit.
    /// </summary>
    public async Task<Error?> ReserveAsync(Guid tenantId, long sizeBytes, CancellationToken cancellationToken)
    {
        var reserved = await db.Database.ExecuteSqlAsync(
            $"UPDATE tenants SET used_bytes = used_bytes + {sizeBytes} WHERE id = {tenantId} AND used_bytes + {sizeBytes} <= storage_quota_bytes",
            cancellationToken);
        if (reserved == 1)
        {
            return null;
        }

        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        return tenant is null
            ? Error.NotFound("The caller's tenant")
            : new Error(ErrorKind.QuotaExceeded, "quota-exceeded",
                $"Storing {sizeBytes} more bytes would exceed the tenant's quota: {tenant.UsedBytes} of {tenant.StorageQuotaBytes} bytes are used.");
    }

    public Task ReleaseAsync(Guid tenantId, long sizeBytes, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"UPDATE tenants SET used_bytes = greatest(used_bytes - {sizeBytes}, 0) WHERE id = {tenantId}", cancellationToken);
}
