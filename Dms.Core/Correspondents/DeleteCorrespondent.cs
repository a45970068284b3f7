using Dms.Catalogs;
using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Correspondents;

/// <summary>Removes a correspondent; the documents it was set on keep everything else and have no correspondent.</summary>
public sealed class DeleteCorrespondent(DmsDbContext db)
{
    public Task<Error?> HandleAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        db.RemoveEntryAsync(tenantId, db.Correspondents.Where(c => c.Id == id),
            (documents, token) => documents.Where(d => d.CorrespondentId == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.CorrespondentId, (Guid?)null), token),
            SaveCorrespondent.NotFound, cancellationToken);
}
