using Dms.Catalogs;
using Dms.Documents;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Correspondents;

/// <summary>The tenant's correspondents by name, each with how many of its documents name it.</summary>
public sealed class ListCorrespondents(DmsDbContext db)
{
    public async Task<IReadOnlyList<Counted<Correspondent>>> HandleAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        using var scope = db.ReadAsTenant(tenantId);
        return await db.Correspondents.AsNoTracking().OrderBy(c => c.Name)
            .Select(c => new Counted<Correspondent>(c, db.Documents.Count(d => d.CorrespondentId == c.Id && d.Status != DocumentStatus.Deleted)))
            .ToListAsync(cancellationToken);
    }
}
