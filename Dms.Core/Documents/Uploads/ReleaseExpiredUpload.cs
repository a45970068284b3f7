using Dms.Common;
using Dms.Operations;
using Dms.Persistence;
using Dms.Storage;
using Dms.Tenants.Quota;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Uploads;

/// <summary>
/// Gives back the reservation of a version whose upload URL expired before it was completed, with any bytes that
/// reached storage; a document left with no version at all goes too. The sweeper runs it.
/// </summary>
public sealed class ReleaseExpiredUpload(DmsDbContext db, IBlobStore blobs, StorageQuota quota, UploadEvents events, TimeProvider time)
{
    /// <returns>False when the version was completed, released already, or has not expired.</returns>
    public async Task<Outcome<bool>> HandleAsync(Guid tenantId, Guid documentId, int version, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.DeleteExpiredUploadAsync(documentId, version, time.GetUtcNow(), cancellationToken) is not { } pending)
        {
            return false;
        }

        if (pending.UploadId is { } uploadId)
        {
            await blobs.AbortUploadAsync(pending.BlobKey, uploadId, cancellationToken);
        }

        if (!await db.DocumentVersions.AnyAsync(v => v.DocumentId == documentId, cancellationToken))
        {
            await db.Documents.Where(d => d.Id == documentId).ExecuteDeleteAsync(cancellationToken);
        }

        await quota.ReleaseAsync(tenantId, pending.SizeBytes, cancellationToken);
        await blobs.DeletePrefixAsync(BlobKeys.VersionPrefix(tenantId, documentId, version), cancellationToken);
        await events.CommitAsync(transaction, tenantId, OperationEvents.UploadOutcomes.Expired, cancellationToken);
        return true;
    }
}
