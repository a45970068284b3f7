using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Correspondents;

/// <summary>Removes a correspondent; the documents it was set on keep everything else and have no correspondent.</summary>
public sealed class DeleteCorrespondent(DmsDbContext db)
{
    public async Task<Error?> HandleAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        await db.Documents.Where(d => d.CorrespondentId == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.CorrespondentId, (Guid?)null), cancellationToken);
        if (await db.Correspondents.Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return SaveCorrespondent.NotFound;
        }

        await transaction.CommitAsync(cancellationToken);
        return null;
    }
}
