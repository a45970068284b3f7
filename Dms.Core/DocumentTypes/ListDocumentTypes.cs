using Dms.Catalogs;
using Dms.Documents;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.DocumentTypes;

/// <summary>The tenant's document types by name, with their fields and how many documents are of each.</summary>
public sealed class ListDocumentTypes(DmsDbContext db)
{
    public async Task<IReadOnlyList<Counted<DocumentType>>> HandleAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        using var scope = db.ReadAsTenant(tenantId);
        return await db.DocumentTypes.AsNoTracking().OrderBy(t => t.Name)
            .Select(t => new Counted<DocumentType>(t, db.Documents.Count(d => d.DocumentTypeId == t.Id && d.Status != DocumentStatus.Deleted)))
            .ToListAsync(cancellationToken);
    }
}
