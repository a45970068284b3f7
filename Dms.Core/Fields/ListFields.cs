using Dms.Catalogs;
using Dms.Persistence;

namespace Dms.Fields;

/// <summary>The tenant's custom fields by name, (when asked) each with how many documents have a value of it.</summary>
public sealed class ListFields(DmsDbContext db)
{
    public Task<IReadOnlyList<Counted<CustomField>>> HandleAsync(Guid tenantId, bool count, CancellationToken cancellationToken) =>
        db.ListCountedAsync(tenantId, db.CustomFields, count, f => new Counted<CustomField>(f, (int?)db.FieldValues.Count(v => v.FieldId == f.Id)), cancellationToken);
}
