using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

/// <summary>One of the tenant's documents.</summary>
public sealed class GetDocument(DmsDbContext db)
{
    public async Task<Outcome<Document>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        return await db.ReadDocumentAsync(documentId, cancellationToken) is { } document ? document : DocumentErrors.NotFound;
    }
}

public static class DocumentReads
{
    /// <summary>The document, untracked, if the caller's tenant has it; the caller holds the tenant's transaction.</summary>
    public static Task<Document?> ReadDocumentAsync(this DmsDbContext db, Guid documentId, CancellationToken cancellationToken) =>
        db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken);
}
