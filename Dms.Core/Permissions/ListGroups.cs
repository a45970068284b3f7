using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Permissions;

/// <summary>The tenant's groups by name, each with its members' user ids.</summary>
public sealed class ListGroups(DmsDbContext db)
{
    public sealed record Listed(Group Group, IReadOnlyList<string> Members);

    public async Task<IReadOnlyList<Listed>> HandleAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        using (db.ReadAsTenant(tenantId))
        {
            var groups = await db.Groups.AsNoTracking().OrderBy(g => g.Name).ToListAsync(cancellationToken);
            var members = (await db.GroupMembers.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(m => m.GroupId, m => m.UserId);
            return [.. groups.Select(g => new Listed(g, [.. members[g.Id].Order(StringComparer.Ordinal)]))];
        }
    }

    public async Task<Outcome<Listed>> GetAsync(Guid tenantId, Guid groupId, CancellationToken cancellationToken) =>
        (await HandleAsync(tenantId, cancellationToken)).FirstOrDefault(g => g.Group.Id == groupId) is { } found ? found : Error.NotFound("The group");
}
