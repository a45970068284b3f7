using Dms.Catalogs;
using Dms.Documents;
using Dms.Persistence;

namespace Dms.Correspondents;

/// <summary>The tenant's correspondents by name, each with how many of its documents (not in the trash) name it.</summary>
public sealed class ListCorrespondents(DmsDbContext db)
{
    public Task<IReadOnlyList<Counted<Correspondent>>> HandleAsync(Guid tenantId, CancellationToken cancellationToken) =>
        db.ListCountedAsync(tenantId, db.Correspondents,
            c => new Counted<Correspondent>(c, db.Documents.Count(d => d.CorrespondentId == c.Id && d.Status != DocumentStatus.Deleted)), cancellationToken);
}
