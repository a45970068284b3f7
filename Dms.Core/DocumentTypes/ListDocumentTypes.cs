using Dms.Catalogs;
using Dms.Documents;
using Dms.Persistence;

namespace Dms.DocumentTypes;

/// <summary>The tenant's document types by name, with their fields and how many documents (not in the trash) are of each.</summary>
public sealed class ListDocumentTypes(DmsDbContext db)
{
    public Task<IReadOnlyList<Counted<DocumentType>>> HandleAsync(Guid tenantId, CancellationToken cancellationToken) =>
        db.ListCountedAsync(tenantId, db.DocumentTypes,
            t => new Counted<DocumentType>(t, db.Documents.Count(d => d.DocumentTypeId == t.Id && d.Status != DocumentStatus.Deleted)), cancellationToken);
}
