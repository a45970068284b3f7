using Dms.Catalogs;
using Dms.Common;
using Dms.Persistence;

namespace Dms.Fields;

/// <summary>Removes a custom field with every document's value of it and its place in the document types (the keys cascade).</summary>
public sealed class DeleteField(DmsDbContext db)
{
    public Task<Error?> HandleAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        db.RemoveEntryAsync(tenantId, db.CustomFields.Where(f => f.Id == id), null, SaveField.NotFound, cancellationToken);
}
