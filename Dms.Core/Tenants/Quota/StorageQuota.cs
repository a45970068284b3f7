using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dms.Tenants.Quota;

/// <summary>
/// A tenant's storage quota: bytes are reserved when an upload is created (before any byte is sent) and released
/// when a reservation expires or a document is purged. <see cref="Tenant.UsedBytes"/> is the sum of what is reserved.
/// All but <see cref="RefusalAsync"/> run in the caller's transaction, bound to the tenant.
/// </summary>
public sealed class StorageQuota(DmsDbContext db)
{
    /// <summary>
    /// Charges <paramref name="sizeBytes"/> to the tenant when the caller's transaction commits (the
    /// QuotaChargedAtCommit migration's deferred trigger): one statement there, so two racing uploads can never push a
    /// tenant past its quota, and the tenant's row, which every upload of the tenant takes in turn, is locked only
    /// inside the commit. A charge that does not fit then fails the commit: see <see cref="RefusedTheCharge"/>.
    /// A size that plainly does not fit as far as committed uploads say is refused here, before anything else is done:
    /// the charge's row is written only if it fits, in the same statement as that read, which locks nothing.
    /// </summary>
    public async Task<Error?> ChargeAtCommitAsync(Guid tenantId, long sizeBytes, CancellationToken cancellationToken)
    {
        var charged = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO quota_charges (tenant_id, size_bytes)
            SELECT id, {sizeBytes} FROM tenants WHERE id = {tenantId} AND used_bytes + {sizeBytes} <= storage_quota_bytes
            """, cancellationToken);
        return charged == 1 ? null : Refusal(await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken), sizeBytes);
    }

    /// <summary>The refusal of a charge whose commit failed, with how full the quota is now (outside any transaction).</summary>
    public async Task<Error> RefusalAsync(Guid tenantId, long sizeBytes, CancellationToken cancellationToken)
    {
        using (db.ReadAsTenant(tenantId))
        {
            return Refusal(await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken), sizeBytes);
        }
    }

    /// <summary>Whether a commit failed because a charge did not fit (the trigger's SQLSTATE).</summary>
    public static bool RefusedTheCharge(Exception commitFailure) =>
        commitFailure is PostgresException { SqlState: "DQ001" } || commitFailure.InnerException is PostgresException { SqlState: "DQ001" };

    private static Error Refusal(Tenant? tenant, long sizeBytes) =>
        tenant is null
            ? Error.NotFound("The caller's tenant")
            : new Error(ErrorKind.QuotaExceeded, "quota-exceeded",
                $"Storing {sizeBytes} more bytes would exceed the tenant's quota: {tenant.UsedBytes} of {tenant.StorageQuotaBytes} bytes are used.");

    public Task ReleaseAsync(Guid tenantId, long sizeBytes, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"UPDATE tenants SET used_bytes = greatest(used_bytes - {sizeBytes}, 0) WHERE id = {tenantId}", cancellationToken);
}
