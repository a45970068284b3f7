using Dms.Audit;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Persistence;
using Dms.Users;
using Microsoft.EntityFrameworkCore;

namespace Dms.Permissions;

/// <summary>Adds a user of the tenant to a group, or takes one out: what they see changes with their next request.</summary>
public sealed class ChangeGroupMembers(DmsDbContext db, ListUsers users, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<Group>> AddAsync(Guid tenantId, Guid groupId, string? userId, CancellationToken cancellationToken)
    {
        using (db.ReadAsTenant(tenantId))
        {
            if (!await db.Groups.AnyAsync(g => g.Id == groupId, cancellationToken))
            {
                return Error.NotFound("The group");
            }
        }

        var listed = await users.HandleAsync(tenantId, cancellationToken);
        if (listed.Error is { } refused)
        {
            return refused;
        }

        if (listed.Value!.FirstOrDefault(u => u.Subject == userId) is not { } user)
        {
            return Error.Invalid("user", "The tenant has no such user: give the subject of one of its users (GET /api/v1/users).");
        }

        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.Groups.SingleOrDefaultAsync(g => g.Id == groupId, cancellationToken) is not { } group)
        {
            return Error.NotFound("The group");
        }

        if (await db.GroupMembers.AnyAsync(m => m.GroupId == groupId && m.UserId == user.Subject, cancellationToken))
        {
            return group;
        }

        if (await db.GroupMembers.CountAsync(m => m.GroupId == groupId, cancellationToken) >= Group.MaxMembers)
        {
            return new Error(ErrorKind.Conflict, "too-many-members", $"A group has at most {Group.MaxMembers} members.");
        }

        db.GroupMembers.Add(new GroupMember { TenantId = tenantId, GroupId = groupId, UserId = user.Subject, AddedAt = time.GetUtcNow() });
        audit.Changed(tenantId, AuditActions.GroupChanged, details: new { groupId, name = group.Name, added = user.Username });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return group;
    }

    public async Task<Outcome<Group>> RemoveAsync(Guid tenantId, Guid groupId, string userId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.Groups.SingleOrDefaultAsync(g => g.Id == groupId, cancellationToken) is not { } group)
        {
            return Error.NotFound("The group");
        }

        if (await db.GroupMembers.SingleOrDefaultAsync(m => m.GroupId == groupId && m.UserId == userId, cancellationToken) is { } member)
        {
            db.GroupMembers.Remove(member);
            audit.Changed(tenantId, AuditActions.GroupChanged, details: new { groupId, name = group.Name, removed = userId });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return group;
    }
}
