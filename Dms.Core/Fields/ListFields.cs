using Dms.Catalogs;
using Dms.Persistence;

namespace Dms.Fields;

/// <summary>The tenant's custom fields by name, each with how many documents have a value of it.</summary>
public sealed class ListFields(DmsDbContext db)
{
    public Task<IReadOnlyList<Counted<CustomField>>> HandleAsync(Guid tenantId, CancellationToken cancellationToken) =>
        db.ListCountedAsync(tenantId, db.CustomFields, f => new Counted<CustomField>(f, db.FieldValues.Count(v => v.FieldId == f.Id)), cancellationToken);
}
