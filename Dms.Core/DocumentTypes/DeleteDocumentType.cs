using Dms.Catalogs;
using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.DocumentTypes;

/// <summary>Removes a document type; its documents keep their field values and have no type.</summary>
public sealed class DeleteDocumentType(DmsDbContext db)
{
    public Task<Error?> HandleAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        db.RemoveEntryAsync(tenantId, db.DocumentTypes.Where(t => t.Id == id),
            (documents, token) => documents.Where(d => d.DocumentTypeId == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.DocumentTypeId, (Guid?)null), token),
            SaveDocumentType.NotFound, cancellationToken);
}
