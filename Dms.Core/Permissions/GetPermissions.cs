using Dms.Common;
using Dms.Documents;
using Dms.Documents.Queries;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Permissions;

/// <summary>A document's owner and grants, as its readers may know them, and whether the viewer may change them.</summary>
public sealed class GetPermissions(DmsDbContext db, DocumentReads reads)
{
    public sealed record Permissions(Document Document, IReadOnlyList<DocumentGrant> Grants, IReadOnlyDictionary<Guid, string> GroupNames, bool MayManage, bool MayEdit);

    public Task<Outcome<Permissions>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) =>
        reads.ReadAsync<Permissions>(tenantId, documentId, async document =>
        {
            var grants = await db.DocumentGrants.AsNoTracking().Where(g => g.DocumentId == documentId)
                .OrderBy(g => g.GrantedAt).ToListAsync(cancellationToken);
            var groups = grants.Select(g => g.GroupId).Append(document.OwnerGroupId).OfType<Guid>().ToList();
            var names = await db.Groups.AsNoTracking().Where(g => groups.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, cancellationToken);
            return new Permissions(document, grants, names,
                await DocumentAccess.MayManageAsync(db, document, cancellationToken), await DocumentAccess.MayEditAsync(db, document, cancellationToken));
        }, cancellationToken);

    /// <summary>Whether the viewer may change <paramref name="document"/>, which they were shown.</summary>
    public async Task<bool> MayEditAsync(Guid tenantId, Document document, CancellationToken cancellationToken)
    {
        using (db.ReadAsTenant(tenantId))
        {
            return await DocumentAccess.MayEditAsync(db, document, cancellationToken);
        }
    }
}
