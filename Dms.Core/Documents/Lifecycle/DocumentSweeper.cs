using Dms.Documents.Uploads;
using Dms.Idempotency;
using Dms.Operations;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dms.Documents.Lifecycle;

/// <summary>What a sweep did; <paramref name="Failed"/> items are tried again after a back-off.</summary>
public sealed record SweepResult(int ReleasedUploads, int PurgedDocuments, int PrunedEvents, int Failed = 0, int DeletedBytes = 0);

/// <summary>
/// The scheduled clean-ups: reservations whose upload URL expired are released, and documents that stayed in the
/// trash longer than their tenant's retention days are purged, bytes included, and operation events older than
/// <see cref="OperationEvents.Retention"/> and idempotency keys past their lifetime are deleted. Candidates are found across tenants; each is then handled in
/// its own tenant's transaction, and one that fails is logged and left to <see cref="SweepBackoff"/>, so it does not
/// stop the rest, nor this sweep or the next.
/// </summary>
public sealed partial class DocumentSweeper(
    DmsDbContext db,
    ReleaseExpiredUpload releaseUpload,
    PurgeDocument purge,
    DeletePurgedBytes deleteBytes,
    SweepBackoff backoff,
    IOptions<IdempotencyOptions> idempotency,
    TimeProvider time,
    ILogger<DocumentSweeper> logger)
{
    public const int BatchSize = 100;

    public async Task<SweepResult> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var waiting = backoff.Waiting();
        List<(Guid TenantId, Guid DocumentId, int Version)> expiredUploads;
        List<(Guid TenantId, Guid DocumentId)> expiredTrash;
        await using (var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken))
        {
            expiredUploads = (await db.DocumentVersions.AsNoTracking()
                    .Where(v => v.CompletedAt == null && v.UploadExpiresAt < now && !waiting.Contains(v.DocumentId))
                    .OrderBy(v => v.UploadExpiresAt)
                    .Take(BatchSize)
                    .Select(v => new { v.TenantId, v.DocumentId, v.Version })
                    .ToListAsync(cancellationToken))
                .Select(v => (v.TenantId, v.DocumentId, v.Version))
                .ToList();
            expiredTrash = (await db.Documents.AsNoTracking()
                    .Where(d => d.Status == DocumentStatus.Deleted && !waiting.Contains(d.Id) && !db.HeldDocuments.Any(h => h.DocumentId == d.Id)
                        && !db.DocumentVersions.Any(v => v.DocumentId == d.Id && v.StorageHeld))
                    .Join(db.Tenants, d => d.TenantId, t => t.Id, (d, t) => new { d.TenantId, d.Id, d.DeletedAt, t.RetentionDays })
                    .Where(d => d.DeletedAt!.Value.AddDays(d.RetentionDays) < now)
                    .OrderBy(d => d.DeletedAt)
                    .Take(BatchSize)
                    .ToListAsync(cancellationToken))
                .Select(d => (d.TenantId, d.Id))
                .ToList();
        }

        int released = 0, purged = 0, failed = 0;
        foreach (var (tenantId, documentId, version) in expiredUploads)
        {
            released += await IsolatedAsync(tenantId, documentId, "release the expired upload of", async () =>
                (await releaseUpload.HandleAsync(tenantId, documentId, version, cancellationToken)).Value);
        }

        foreach (var (tenantId, documentId) in expiredTrash)
        {
            purged += await IsolatedAsync(tenantId, documentId, "purge", async () =>
                (await purge.HandleAsync(tenantId, documentId, onlyFromTrash: true, cancellationToken)).Error is null);
        }

        // The bytes of every document purged, by this sweep or by a person since the last.
        var deletedBytes = 0;
        foreach (var request in (await deleteBytes.WaitingAsync(BatchSize, cancellationToken)).Where(r => !waiting.Contains(DocumentOf(r))))
        {
            deletedBytes += await IsolatedAsync(request.TenantId, DocumentOf(request), "delete the purged bytes of", () =>
                deleteBytes.HandleAsync(request, cancellationToken));
        }

        var pruned = await db.PruneEventsAsync(now - OperationEvents.Retention, cancellationToken);
        await db.PruneIdempotencyKeysAsync(now - idempotency.Value.KeyLifetime, cancellationToken);
        return new SweepResult(released, purged, pruned, failed, deletedBytes);

        // 1 when the item was done; a failure is logged, counted and backed off, and the sweep goes on.
        async Task<int> IsolatedAsync(Guid tenantId, Guid documentId, string what, Func<Task<bool>> sweep)
        {
            try
            {
                var done = await sweep();
                backoff.Succeeded(documentId);
                return done ? 1 : 0;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                db.ChangeTracker.Clear();
                backoff.Failed(documentId);
                failed++;
                LogItemFailed(logger, e, what, documentId, tenantId);
                return 0;
            }
        }
    }

    /// <summary>The document a purge's prefix names (<c>{tenant}/documents/{document}/</c>), for the log and the back-off.</summary>
    private static Guid DocumentOf(BytesPurge request) =>
        Guid.TryParse(request.Prefix.TrimEnd('/').Split('/')[^1], out var id) ? id : Guid.Empty;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep could not {what} document {documentId} (tenant {tenantId}); it is tried again after a back-off")]
    private static partial void LogItemFailed(ILogger logger, Exception exception, string what, Guid documentId, Guid tenantId);
}
