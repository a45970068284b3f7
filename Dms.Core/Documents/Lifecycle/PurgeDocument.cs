using Dms.Audit;
using Dms.Contracts.Http;
using Dms.Common;
using Dms.Holds;
using Dms.Persistence;
using Dms.Search;
using Dms.Storage;
using Dms.Tenants.Quota;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Lifecycle;

/// <summary>
/// Removes a document for good: its rows, its search entry and their share of the quota at once, and every version's
/// bytes by the worker's next sweep (a <see cref="BytesPurge"/> written with the rows' removal: the api asks, the worker
/// deletes).
/// </summary>
public sealed class PurgeDocument(DmsDbContext db, ISearchIndex search, StorageQuota quota, AuditTrail audit, TimeProvider time)
{
    /// <param name="onlyFromTrash">
    /// For the sweeper: only a document still in the trash (one restored since the sweep found it stays). The row is
    /// locked first, so a restore either waits for the purge or the purge sees the restore.
    /// </param>
    public async Task<Outcome<Guid>> HandleAsync(Guid tenantId, Guid documentId, bool onlyFromTrash, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.LockDocumentAsync(documentId, cancellationToken) is not { } document)
        {
            return DocumentErrors.NotFound;
        }

        if (onlyFromTrash && document.Status != DocumentStatus.Deleted)
        {
            return new Error(ErrorKind.Conflict, "document-restored", "The document left the trash before it was purged.");
        }

        if (await HoldRules.PurgeRefusalAsync(db, documentId, cancellationToken) is { } held)
        {
            return held;
        }

        var bytes = await db.DocumentVersions.Where(v => v.DocumentId == documentId).SumAsync(v => v.SizeBytes, cancellationToken);
        db.Documents.Remove(document);
        audit.Changed(tenantId, AuditActions.Purged, documentId, document.CurrentVersion, new { document.Title, document.FileName, versionsBytes = bytes, fromTrash = document.Status == DocumentStatus.Deleted });
        db.BytesPurges.Add(new BytesPurge { TenantId = tenantId, Prefix = BlobKeys.DocumentPrefix(tenantId, documentId), RequestedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
        await search.IndexAsync(tenantId, documentId, cancellationToken);
        await quota.ReleaseAsync(tenantId, bytes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return documentId;
    }
}
