using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.SavedViews;

/// <summary>Removes a saved view: its owner's own, or (admins) a shared one.</summary>
public sealed class DeleteView(DmsDbContext db)
{
    public async Task<Error?> HandleAsync(Guid tenantId, Guid id, ViewOwner caller, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.SavedViews.Where(SavedView.SeenBy(caller.Subject)).SingleOrDefaultAsync(v => v.Id == id, cancellationToken) is not { } view)
        {
            return SaveView.NotFound;
        }

        if (!view.ChangeableBy(caller.Subject, caller.Administers))
        {
            return SaveView.NotYours;
        }

        db.SavedViews.Remove(view);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }
}
