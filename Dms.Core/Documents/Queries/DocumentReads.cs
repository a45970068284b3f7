using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

/// <summary>
/// The frame of every read about one document: its tenant's read scope (<see cref="TenantReads"/>: each query one
/// round trip, confined to the tenant), the document (or not found), then the read.
/// </summary>
public sealed class DocumentReads(DmsDbContext db)
{
    /// <param name="read">What to read about the document, in the same scope, or why it cannot be read.</param>
    public async Task<Outcome<T>> ReadAsync<T>(Guid tenantId, Guid documentId, Func<Document, Task<Outcome<T>>> read, CancellationToken cancellationToken)
    {
        using var scope = db.ReadAsTenant(tenantId);
        return await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken) is { } document
            ? await read(document)
            : DocumentErrors.NotFound;
    }
}
