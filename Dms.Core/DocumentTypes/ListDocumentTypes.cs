using Dms.Catalogs;
using Dms.Documents;
using Dms.Persistence;

namespace Dms.DocumentTypes;

/// <summary>The tenant's document types by name, with their fields and how many documents (not in the trash) are of each.</summary>
public sealed class ListDocumentTypes(DmsDbContext db)
{
    public Task<IReadOnlyList<Counted<DocumentType>>> HandleAsync(Guid tenantId, bool count, CancellationToken cancellationToken) =>
        db.ListCountedAsync(tenantId, db.DocumentTypes, count,
            t => new Counted<DocumentType>(t, (int?)db.Documents.Count(d => d.DocumentTypeId == t.Id && d.Status != DocumentStatus.Deleted)), cancellationToken);
}
