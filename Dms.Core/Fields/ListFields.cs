using Dms.Catalogs;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Fields;

/// <summary>The tenant's custom fields by name, each with how many documents have a value of it.</summary>
public sealed class ListFields(DmsDbContext db)
{
    public async Task<IReadOnlyList<Counted<CustomField>>> HandleAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        using var scope = db.ReadAsTenant(tenantId);
        return await db.CustomFields.AsNoTracking().OrderBy(f => f.Name)
            .Select(f => new Counted<CustomField>(f, db.FieldValues.Count(v => v.FieldId == f.Id)))
            .ToListAsync(cancellationToken);
    }
}
