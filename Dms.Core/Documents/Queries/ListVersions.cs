using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

/// <summary>Every version of a document, oldest first.</summary>
public sealed class ListVersions(DmsDbContext db, DocumentReads reads)
{
    public Task<Outcome<IReadOnlyList<DocumentVersion>>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) =>
        reads.ReadAsync<IReadOnlyList<DocumentVersion>>(tenantId, documentId, async _ =>
            await db.DocumentVersions.AsNoTracking().Where(v => v.DocumentId == documentId).OrderBy(v => v.Version).ToListAsync(cancellationToken),
            cancellationToken);
}
