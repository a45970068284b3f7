using Dms.Documents.Uploads;
using Dms.Operations;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Lifecycle;

/// <summary>What a sweep did.</summary>
public sealed record SweepResult(int ReleasedUploads, int PurgedDocuments, int PrunedEvents);

/// <summary>
/// The scheduled clean-ups: reservations whose upload URL expired are released, and documents that stayed in the
/// trash longer than their tenant's retention days are purged, bytes included, and operation events older than
/// <see cref="OperationEvents.Retention"/> are deleted. Candidates are found across tenants;
/// each is then handled in its own tenant's transaction, so one failure does not stop the rest.
/// </summary>
public sealed class DocumentSweeper(DmsDbContext db, ReleaseExpiredUpload releaseUpload, PurgeDocument purge, TimeProvider time)
{
    public const int BatchSize = 100;

    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<(Guid TenantId, Guid DocumentId, int Version)> expiredUploads;
        List<(Guid TenantId, Guid DocumentId)> expiredTrash;
        await using (var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken))
        {
            expiredUploads = (await db.DocumentVersions.AsNoTracking()
                    .Where(v => v.CompletedAt == null && v.UploadExpiresAt < now)
                    .OrderBy(v => v.UploadExpiresAt)
                    .Take(BatchSize)
                    .Select(v => new { v.TenantId, v.DocumentId, v.Version })
                    .ToListAsync(cancellationToken))
                .Select(v => (v.TenantId, v.DocumentId, v.Version))
                .ToList();
            expiredTrash = (await db.Documents.AsNoTracking()
                    .Where(d => d.Status == DocumentStatus.Deleted)
                    .Join(db.Tenants, d => d.TenantId, t => t.Id, (d, t) => new { d.TenantId, d.Id, d.DeletedAt, t.RetentionDays })
                    .Where(d => d.DeletedAt!.Value.AddDays(d.RetentionDays) < now)
                    .OrderBy(d => d.DeletedAt)
                    .Take(BatchSize)
                    .ToListAsync(cancellationToken))
                .Select(d => (d.TenantId, d.Id))
                .ToList();
        }

        var released = 0;
        foreach (var (tenantId, documentId, version) in expiredUploads)
        {
            released += (await releaseUpload.HandleAsync(tenantId, documentId, version, cancellationToken)).Value ? 1 : 0;
        }

        var purged = 0;
        foreach (var (tenantId, documentId) in expiredTrash)
        {
            purged += (await purge.HandleAsync(tenantId, documentId, cancellationToken)).Error is null ? 1 : 0;
        }

        var pruned = await db.PruneEventsAsync(now - OperationEvents.Retention, cancellationToken);
        return new SweepResult(released, purged, pruned);
    }
}
