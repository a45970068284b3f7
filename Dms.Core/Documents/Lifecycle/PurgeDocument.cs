using Dms.Common;
using Dms.Persistence;
using Dms.Search;
using Dms.Storage;
using Dms.Tenants.Quota;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Lifecycle;

/// <summary>Removes a document for good: every version's bytes, its rows, its search entry and their share of the quota.</summary>
public sealed class PurgeDocument(DmsDbContext db, IBlobStore blobs, ISearchIndex search, StorageQuota quota)
{
    public async Task<Outcome<Guid>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.Documents.SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken) is not { } document)
        {
            return DocumentErrors.NotFound;
        }

        var bytes = await db.DocumentVersions.Where(v => v.DocumentId == documentId).SumAsync(v => v.SizeBytes, cancellationToken);
        db.Documents.Remove(document);
        await db.SaveChangesAsync(cancellationToken);
        await search.IndexAsync(tenantId, documentId, cancellationToken);
        await quota.ReleaseAsync(tenantId, bytes, cancellationToken);
        // Bytes go before the commit: if deleting them fails, the rows stay and the purge can be retried.
        await blobs.DeletePrefixAsync(BlobKeys.DocumentPrefix(tenantId, documentId), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return documentId;
    }
}
