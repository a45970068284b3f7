using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

/// <summary>Every version of a document, oldest first.</summary>
public sealed class ListVersions(DmsDbContext db)
{
    public async Task<Outcome<IReadOnlyList<DocumentVersion>>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (!await db.Documents.AnyAsync(d => d.Id == documentId, cancellationToken))
        {
            return DocumentErrors.NotFound;
        }

        return await db.DocumentVersions.AsNoTracking().Where(v => v.DocumentId == documentId).OrderBy(v => v.Version).ToListAsync(cancellationToken);
    }
}
