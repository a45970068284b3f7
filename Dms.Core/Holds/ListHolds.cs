using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Holds;

/// <summary>A hold with how many documents it covers now.</summary>
public sealed record HoldSummary(LegalHold Hold, int Documents);

/// <summary>The tenant's holds, in force first, newest first; and one hold with the documents it covers.</summary>
public sealed class ListHolds(DmsDbContext db)
{
    public async Task<IReadOnlyList<HoldSummary>> HandleAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        using var reading = db.ReadAsTenant(tenantId);
        var holds = await db.LegalHolds.AsNoTracking().Where(h => h.TenantId == tenantId)
            .OrderBy(h => h.LiftedAt != null).ThenByDescending(h => h.PlacedAt)
            .Select(h => new { Hold = h, Documents = db.HeldDocuments.Count(d => d.HoldId == h.Id) })
            .ToListAsync(cancellationToken);
        return holds.Select(h => new HoldSummary(h.Hold, h.Documents)).ToList();
    }

    public async Task<Outcome<(LegalHold Hold, IReadOnlyList<Guid> Documents)>> GetAsync(Guid tenantId, Guid holdId, CancellationToken cancellationToken)
    {
        using var reading = db.ReadAsTenant(tenantId);
        if (await db.LegalHolds.AsNoTracking().SingleOrDefaultAsync(h => h.Id == holdId, cancellationToken) is not { } hold)
        {
            return Error.NotFound("The hold");
        }

        var documents = await db.HeldDocuments.AsNoTracking().Where(d => d.HoldId == holdId).OrderBy(d => d.DocumentId).Select(d => d.DocumentId).ToListAsync(cancellationToken);
        return (hold, documents);
    }

    /// <summary>The names of the holds in force on a document (for its page and answer).</summary>
    public async Task<IReadOnlyList<string>> OnDocumentAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        using var reading = db.ReadAsTenant(tenantId);
        return await db.HeldDocuments.AsNoTracking().Where(d => d.DocumentId == documentId)
            .Join(db.LegalHolds, d => d.HoldId, h => h.Id, (_, h) => h.Name).OrderBy(n => n).ToListAsync(cancellationToken);
    }
}
