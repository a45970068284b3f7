using Dms.Common;
using Dms.Contracts.Http;
using Dms.Documents;
using Dms.Permissions;
using Dms.Persistence;
using Dms.SavedViews;
using Microsoft.EntityFrameworkCore;

namespace Dms.Sharing;

/// <summary>What a link may share, found for the user who shares it or stops sharing it (in their tenant's transaction).</summary>
internal static class ShareTargets
{
    /// <summary>A document the caller may change (<see cref="Shareable.Document"/>), or a view the caller may change (<see cref="Shareable.View"/>).</summary>
    public static async Task<Outcome<Shareable>> ChangeableAsync(DmsDbContext db, ShareTarget target, ViewOwner caller, CancellationToken cancellationToken)
    {
        if (target.IsView)
        {
            return await db.SavedViews.Where(SavedView.SeenBy(caller.Subject)).SingleOrDefaultAsync(v => v.Id == target.Id, cancellationToken) switch
            {
                null => SaveView.NotFound,
                { } view when !view.ChangeableBy(caller.Subject, caller.Administers) => SaveView.NotYours,
                { } view => new Shareable(null, view),
            };
        }

        if (await db.Documents.SingleOrDefaultAsync(d => d.Id == target.Id, cancellationToken) is not { } document)
        {
            return DocumentErrors.NotFound;
        }

        return await DocumentAccess.MayEditAsync(db, document, cancellationToken) ? new Shareable(document, null) : DocumentAccess.ReadOnly;
    }
}

/// <summary>The document or the view a link shares.</summary>
internal sealed record Shareable(Document? Document, SavedView? View);
