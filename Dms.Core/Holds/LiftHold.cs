using Dms.Audit;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Holds;

/// <summary>Lifts a hold: its documents are released (each an event in the audit trail); the hold stays, lifted, for the record.</summary>
public sealed class LiftHold(DmsDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<LegalHold>> HandleAsync(Guid tenantId, Guid holdId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.LegalHolds.SingleOrDefaultAsync(h => h.Id == holdId, cancellationToken) is not { } hold)
        {
            return Error.NotFound("The hold");
        }

        if (hold.LiftedAt is not null)
        {
            return new Error(ErrorKind.Conflict, "hold-lifted", $"The hold '{hold.Name}' was lifted already.");
        }

        hold.LiftedAt = time.GetUtcNow();
        hold.LiftedBy = audit.Actor.Name;
        var held = await db.HeldDocuments.Where(h => h.HoldId == holdId).ToListAsync(cancellationToken);
        foreach (var document in held)
        {
            audit.Changed(tenantId, AuditActions.HoldLifted, document.DocumentId, details: new { holdId, hold = hold.Name });
        }

        db.HeldDocuments.RemoveRange(held);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return hold;
    }
}
