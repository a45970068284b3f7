using Dms.Audit;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Documents;
using Dms.Permissions;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Sharing;

/// <summary>Revokes a share link at once: whoever holds it gets a 410 from then on. The link stays, revoked, for the record.</summary>
public sealed class RevokeShareLink(DmsDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<ShareLink>> HandleAsync(Guid tenantId, Guid documentId, Guid linkId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.Documents.SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken) is not { } document)
        {
            return DocumentErrors.NotFound;
        }

        if (await db.ShareLinks.SingleOrDefaultAsync(l => l.Id == linkId && l.DocumentId == documentId, cancellationToken) is not { } link)
        {
            return Error.NotFound("The share link");
        }

        if (!await DocumentAccess.MayEditAsync(db, document, cancellationToken))
        {
            return DocumentAccess.ReadOnly;
        }

        if (link.RevokedAt is null)
        {
            link.Revoke(audit.Actor.Name, time.GetUtcNow());
            audit.Changed(tenantId, AuditActions.ShareRevoked, documentId, document.CurrentVersion, new { linkId });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return link;
    }
}
