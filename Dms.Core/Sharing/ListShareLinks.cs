using Dms.Common;
using Dms.Contracts.Http;
using Dms.Documents.Queries;
using Dms.Persistence;
using Dms.SavedViews;
using Microsoft.EntityFrameworkCore;

namespace Dms.Sharing;

/// <summary>
/// A document's share links for whoever reads it, or a view's for whoever sees the view; newest first: when each
/// expires, how much it was used, whether it still works.
/// </summary>
public sealed class ListShareLinks(DmsDbContext db, DocumentReads reads)
{
    private const int Shown = 200;

    public async Task<Outcome<List<ShareLink>>> HandleAsync(Guid tenantId, ShareTarget target, ViewOwner caller, CancellationToken cancellationToken)
    {
        if (!target.IsView)
        {
            return await reads.ReadAsync<List<ShareLink>>(tenantId, target.Id, async _ => await NewestAsync(target, cancellationToken), cancellationToken);
        }

        using var scope = db.ReadAsTenant(tenantId);
        return await db.SavedViews.Where(SavedView.SeenBy(caller.Subject)).AnyAsync(v => v.Id == target.Id, cancellationToken)
            ? await NewestAsync(target, cancellationToken)
            : SaveView.NotFound;
    }

    private Task<List<ShareLink>> NewestAsync(ShareTarget target, CancellationToken cancellationToken) =>
        db.ShareLinks.AsNoTracking().Where(ShareLink.Of(target)).OrderByDescending(l => l.CreatedAt).Take(Shown).ToListAsync(cancellationToken);
}
