using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.SavedViews;

/// <summary>The views a user sees: the tenant's shared ones and their own, by name.</summary>
public sealed class ListViews(DmsDbContext db)
{
    public async Task<IReadOnlyList<SavedView>> HandleAsync(Guid tenantId, ViewOwner caller, CancellationToken cancellationToken)
    {
        using var scope = db.ReadAsTenant(tenantId);
        return await db.SavedViews.AsNoTracking().Where(SavedView.SeenBy(caller.Subject))
            .OrderBy(v => v.Name).ThenBy(v => v.Id).ToListAsync(cancellationToken);
    }
}
