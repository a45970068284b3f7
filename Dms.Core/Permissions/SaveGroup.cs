using Dms.Audit;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Permissions;

/// <summary>Creates a group of the tenant, or renames one; a name is the tenant's once.</summary>
public sealed class SaveGroup(DmsDbContext db, AuditTrail audit, TimeProvider time)
{
    /// <param name="groupId">The group to rename; null to create one.</param>
    public async Task<Outcome<Group>> HandleAsync(Guid tenantId, Guid? groupId, string? name, CancellationToken cancellationToken)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > Group.MaxName || !StorableText.IsStorable(trimmed) || trimmed.Any(char.IsControl))
        {
            return Error.Invalid("name", $"A group's name is 1 to {Group.MaxName} characters, with no control characters.");
        }

        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        Group group;
        if (groupId is null)
        {
            if (await db.Groups.CountAsync(cancellationToken) >= Group.MaxGroups)
            {
                return new Error(ErrorKind.Conflict, "too-many-groups", $"A tenant has at most {Group.MaxGroups} groups.");
            }

            group = Group.Create(tenantId, trimmed, time.GetUtcNow());
            db.Groups.Add(group);
            audit.Changed(tenantId, AuditActions.GroupCreated, details: new { groupId = group.Id, name = trimmed });
        }
        else
        {
            if (await db.Groups.SingleOrDefaultAsync(g => g.Id == groupId, cancellationToken) is not { } found)
            {
                return Error.NotFound("The group");
            }

            group = found;
            audit.Changed(tenantId, AuditActions.GroupChanged, details: new { groupId = group.Id, name = new { before = group.Name, after = trimmed } });
            group.Name = trimmed;
        }

        if (await db.Groups.AnyAsync(g => g.Name == trimmed && g.Id != group.Id, cancellationToken))
        {
            return new Error(ErrorKind.Conflict, "group-exists", $"The tenant has a group named '{trimmed}' already.");
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return group;
    }
}
