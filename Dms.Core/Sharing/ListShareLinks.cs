using Dms.Common;
using Dms.Documents.Queries;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Sharing;

/// <summary>A document's share links, newest first, for whoever reads it: when each expires, how much it was used, whether it still works.</summary>
public sealed class ListShareLinks(DmsDbContext db, DocumentReads reads)
{
    public Task<Outcome<List<ShareLink>>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) =>
        reads.ReadAsync<List<ShareLink>>(tenantId, documentId, async _ =>
            await db.ShareLinks.AsNoTracking().Where(l => l.DocumentId == documentId).OrderByDescending(l => l.CreatedAt).Take(200).ToListAsync(cancellationToken),
            cancellationToken);
}
