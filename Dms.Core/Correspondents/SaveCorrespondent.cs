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
        var found = await db.Correspondents.FindOrAddAsync(
            id, () => Correspondent.Create(tenantId, checkedName.Value!, time.GetUtcNow()), Correspondent.MaxPerTenant, "correspondent", NotFound, cancellationToken);
        if (found.Error is { } refused)
        {
            return refused;
        }

        var correspondent = found.Value!;
        correspondent.Rename(checkedName.Value!);
        if (await db.SaveEntryAsync(correspondent, "correspondent", cancellationToken) is { } taken)
        {
            return taken;
        }

        await transaction.CommitAsync(cancellationToken);
        return correspondent;
    }
}
