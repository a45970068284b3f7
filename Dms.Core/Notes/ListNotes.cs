using Dms.Common;
using Dms.Documents;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Notes;

/// <summary>A document's notes, oldest first.</summary>
public sealed class ListNotes(DmsDbContext db)
{
    public async Task<Outcome<IReadOnlyList<Note>>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        using var scope = db.ReadAsTenant(tenantId);
        if (!await db.Documents.IgnoreAutoIncludes().AnyAsync(d => d.Id == documentId, cancellationToken))
        {
            return DocumentErrors.NotFound;
        }

        return await db.Notes.AsNoTracking().Where(n => n.DocumentId == documentId).OrderBy(n => n.CreatedAt).ThenBy(n => n.Id).ToListAsync(cancellationToken);
    }
}
