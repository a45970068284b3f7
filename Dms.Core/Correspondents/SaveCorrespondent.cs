using Dms.Catalogs;
using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Correspondents;

/// <summary>Adds a correspondent (no <c>id</c>) or renames one; names are unique in the tenant, ignoring case.</summary>
public sealed class SaveCorrespondent(DmsDbContext db, TimeProvider time)
{
    public static readonly Error NotFound = Error.NotFound("The correspondent");

    public async Task<Outcome<Correspondent>> HandleAsync(Guid tenantId, Guid? id, string? name, CancellationToken cancellationToken)
    {
        var checkedName = CatalogName.Check(name, "A correspondent's name");
        if (checkedName.Error is { } invalid)
        {
            return invalid;
        }

        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        Correspondent correspondent;
        if (id is { } existing)
        {
            if (await db.Correspondents.SingleOrDefaultAsync(c => c.Id == existing, cancellationToken) is not { } found)
            {
                return NotFound;
            }

            (correspondent = found).Rename(checkedName.Value!);
        }
        else
        {
            if (await db.Correspondents.RefuseBeyondAsync(Correspondent.MaxPerTenant, "correspondent", cancellationToken) is { } full)
            {
                return full;
            }

            db.Correspondents.Add(correspondent = Correspondent.Create(tenantId, checkedName.Value!, time.GetUtcNow()));
        }

        if (await db.SaveEntryAsync(correspondent, "correspondent", cancellationToken) is { } taken)
        {
            return taken;
        }

        await transaction.CommitAsync(cancellationToken);
        return correspondent;
    }
}
