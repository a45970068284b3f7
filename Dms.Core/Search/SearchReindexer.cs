using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Search;

/// <summary>
/// One batch of a reindex: how many documents it went through and how many of them are searchable (ready) now, where
/// the next batch starts (null: done), and how many are left.
/// </summary>
public sealed record ReindexProgress(int Processed, int Indexed, Guid? NextCursor, long Remaining);

/// <summary>
/// Rebuilds the search index from stored text, one tenant's documents or everyone's, in batches ordered by document
/// id: each batch is its own short transaction (searches go on meanwhile), and the cursor it returns resumes the
/// rebuild wherever it stopped.
/// </summary>
public sealed class SearchReindexer(DmsDbContext db, ISearchIndex index)
{
    public const int MaxBatchSize = 5000;

    public async Task<ReindexProgress> ReindexBatchAsync(Guid? tenantId, Guid? after, int batchSize, CancellationToken cancellationToken)
    {
        List<Guid> batch;
        long remaining;
        await using (var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken))
        {
            var documents = db.Documents.AsNoTracking()
                .Where(d => tenantId == null || d.TenantId == tenantId)
                .Where(d => db.DocumentTexts.Any(t => t.DocumentId == d.Id && t.Version == d.CurrentVersion));
            var pending = after is { } cursor ? documents.Where(d => d.Id.CompareTo(cursor) > 0) : documents;
            batch = await pending.OrderBy(d => d.Id).Select(d => d.Id).Take(batchSize).ToListAsync(cancellationToken);
            remaining = await pending.LongCountAsync(cancellationToken) - batch.Count;
            await transaction.CommitAsync(cancellationToken);
        }

        var indexed = batch.Count > 0 ? await index.ReindexAsync(batch, cancellationToken) : 0;
        return new ReindexProgress(batch.Count, indexed, remaining > 0 ? batch[^1] : null, remaining);
    }
}
