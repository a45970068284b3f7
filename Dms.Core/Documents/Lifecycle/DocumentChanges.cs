using Dms.Common;
using Dms.Persistence;
using Dms.Search;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Lifecycle;

/// <summary>
/// The frame of every change to one document: load it in its tenant's transaction, change it, save it, bring its
/// search entry up to date and commit, so the index never disagrees with the row.
/// </summary>
public sealed class DocumentChanges(DmsDbContext db, ISearchIndex search)
{
    /// <param name="change">Changes the document (adding any rows it needs to the context), or says why it cannot.</param>
    public async Task<Outcome<Document>> ApplyAsync(Guid tenantId, Guid documentId, Func<Document, Task<Error?>> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.Documents.SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken) is not { } document)
        {
            return DocumentErrors.NotFound;
        }

        if (await change(document) is { } refused)
        {
            return refused;
        }

        await db.SaveChangesAsync(cancellationToken);
        await search.IndexAsync(tenantId, documentId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return document;
    }

    /// <param name="change">A change that is always allowed.</param>
    public Task<Outcome<Document>> ApplyAsync(Guid tenantId, Guid documentId, Action<Document> change, CancellationToken cancellationToken) =>
        ApplyAsync(tenantId, documentId, document =>
        {
            change(document);
            return Task.FromResult<Error?>(null);
        }, cancellationToken);
}
