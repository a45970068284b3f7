using Dms.Common;
using Dms.Contracts.Http;
using Dms.Documents;
using Dms.Documents.Lifecycle;
using Dms.Persistence;
using Dms.Users;
using Microsoft.EntityFrameworkCore;

namespace Dms.Permissions;

/// <summary>
/// Says who owns a document (a user or a group; neither named: the owner stays) and who else may see or change it.
/// The grants replace the ones it had; a document with
/// grants is restricted (row-level security shows it to admins, its owner and its grantees only), one without is the
/// whole tenant's again. Its owner or an admin does it; the audit trail keeps the owner and grants before and after.
/// </summary>
public sealed class SetPermissions(DmsDbContext db, DocumentChanges changes, ListUsers users, TimeProvider time)
{
    public sealed record Grantee(string? UserId, Guid? GroupId, string? Access);

    public sealed record Command(string? OwnerUserId, Guid? OwnerGroupId, IReadOnlyList<Grantee>? Grants);

    public async Task<Outcome<Document>> HandleAsync(Guid tenantId, Guid documentId, Command command, CancellationToken cancellationToken)
    {
        var grants = command.Grants ?? [];
        if (Shape(command, grants) is { } invalid)
        {
            return invalid;
        }

        var named = grants.Select(g => g.UserId).Append(command.OwnerUserId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (named.Count > 0)
        {
            var listed = await users.HandleAsync(tenantId, cancellationToken);
            if (listed.Error is { } refused)
            {
                return refused;
            }

            if (named.Except(listed.Value!.Select(u => u.Subject)).FirstOrDefault() is { } unknown)
            {
                return Error.Invalid("user", $"The tenant has no user '{unknown}': name users by their subject (GET /api/v1/users).");
            }
        }

        return await changes.ApplyAsync(tenantId, documentId, AuditActions.PermissionsChanged, async document =>
        {
            if (!await DocumentAccess.MayManageAsync(db, document, cancellationToken))
            {
                return DocumentAccess.NotOwner;
            }

            var groups = grants.Select(g => g.GroupId).Append(command.OwnerGroupId).OfType<Guid>().Distinct().ToList();
            if (groups.Count > 0 && await db.Groups.CountAsync(g => groups.Contains(g.Id), cancellationToken) != groups.Count)
            {
                return Error.Invalid("group", "One of the groups named does not exist in the tenant (GET /api/v1/groups).");
            }

            var now = time.GetUtcNow();
            db.DocumentGrants.RemoveRange(await db.DocumentGrants.Where(g => g.DocumentId == documentId).ToListAsync(cancellationToken));
            db.DocumentGrants.AddRange(grants.Select(g => new DocumentGrant
            {
                TenantId = tenantId, DocumentId = documentId, UserId = g.UserId, GroupId = g.GroupId, Access = g.Access!, GrantedAt = now,
            }));
            var (ownerUser, ownerGroup) = command.OwnerUserId is null && command.OwnerGroupId is null
                ? (document.OwnerUserId, document.OwnerGroupId)
                : (command.OwnerUserId, command.OwnerGroupId);
            document.ChangePermissions(ownerUser, ownerGroup, restricted: grants.Count > 0, now);
            return null;
        }, cancellationToken);
    }

    private static Error? Shape(Command command, IReadOnlyList<Grantee> grants)
    {
        if (command.OwnerUserId is not null && command.OwnerGroupId is not null)
        {
            return Error.Invalid("owner", "A document is owned by a user or by a group, not both.");
        }

        if (grants.Count > DocumentGrant.MaxGrants)
        {
            return Error.Invalid("grants", $"A document has at most {DocumentGrant.MaxGrants} grants.");
        }

        if (grants.Any(g => (g.UserId is null) == (g.GroupId is null)))
        {
            return Error.Invalid("grants", "Each grant names a user (userId) or a group (groupId), one of the two.");
        }

        if (grants.Any(g => g.Access is not (DocumentGrant.View or DocumentGrant.Edit)))
        {
            return Error.Invalid("grants", $"A grant's access is '{DocumentGrant.View}' or '{DocumentGrant.Edit}'.");
        }

        if (grants.GroupBy(g => (g.UserId, g.GroupId)).Any(same => same.Count() > 1))
        {
            return Error.Invalid("grants", "Each user or group is granted once.");
        }

        return null;
    }
}
