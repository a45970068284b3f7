using Dms.Audit;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Persistence;
using Dms.SavedViews;
using Microsoft.EntityFrameworkCore;

namespace Dms.Sharing;

/// <summary>
/// Revokes a share link at once, for whoever may change what it shares: whoever holds it gets a 410 from then on. The
/// link stays, revoked, for the record.
/// </summary>
public sealed class RevokeShareLink(DmsDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<ShareLink>> HandleAsync(Guid tenantId, ShareTarget target, Guid linkId, ViewOwner caller, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var changeable = await ShareTargets.ChangeableAsync(db, target, caller, cancellationToken);
        if (changeable.Error is { } refused)
        {
            return refused;
        }

        if (await db.ShareLinks.Where(ShareLink.Of(target)).SingleOrDefaultAsync(l => l.Id == linkId, cancellationToken) is not { } link)
        {
            return Error.NotFound("The share link");
        }

        if (link.RevokedAt is null)
        {
            link.Revoke(audit.Actor.Name, time.GetUtcNow());
            audit.Changed(tenantId, AuditActions.ShareRevoked, link.DocumentId, changeable.Value!.Document?.CurrentVersion,
                target.IsView ? new { linkId, viewId = target.Id } : new { linkId });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return link;
    }
}
