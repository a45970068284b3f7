using Dms.Audit;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Permissions;

/// <summary>
/// Deletes a group: its members leave it and its grants go; a document it owned has no owner then (an admin can give
/// it one). A document it was the only grantee of stays restricted, to its owner and the admins: deleting a group
/// never shows a document to more people.
/// </summary>
public sealed class DeleteGroup(DmsDbContext db, AuditTrail audit)
{
    public async Task<Error?> HandleAsync(Guid tenantId, Guid groupId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.Groups.SingleOrDefaultAsync(g => g.Id == groupId, cancellationToken) is not { } group)
        {
            return Error.NotFound("The group");
        }

        await db.Documents.Where(d => d.OwnerGroupId == groupId)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.OwnerGroupId, (Guid?)null), cancellationToken);
        audit.Changed(tenantId, AuditActions.GroupDeleted, details: new { groupId, name = group.Name });
        db.Groups.Remove(group);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }
}
