using Dms.Catalogs;
using Dms.Documents;
using Dms.Persistence;

namespace Dms.Correspondents;

/// <summary>The tenant's correspondents by name, (when asked) each with how many of its documents (not in the trash) name it.</summary>
public sealed class ListCorrespondents(DmsDbContext db)
{
    public Task<IReadOnlyList<Counted<Correspondent>>> HandleAsync(Guid tenantId, bool count, CancellationToken cancellationToken) =>
        db.ListCountedAsync(tenantId, db.Correspondents, count,
            c => new Counted<Correspondent>(c, (int?)db.Documents.Count(d => d.CorrespondentId == c.Id && d.Status != DocumentStatus.Deleted)), cancellationToken);
}
