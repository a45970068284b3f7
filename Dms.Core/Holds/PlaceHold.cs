using Dms.Audit;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Documents;
using Dms.Documents.Queries;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Holds;

/// <summary>
/// Places a hold on documents chosen one by one (ids) or by a filter of the documents list (every match, up to
/// <see cref="LegalHold.MaxDocumentsPlaced"/>), or adds documents to a hold already placed. Each document held is
/// an event in the audit trail, in the same transaction.
/// </summary>
public sealed class PlaceHold(DmsDbContext db, ListDocuments list, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<LegalHold>> HandleAsync(
        Guid tenantId, Guid? holdId, string? name, string? reason, IReadOnlyList<Guid>? ids, DocumentQuery? filter, CancellationToken cancellationToken)
    {
        if (holdId is null && LegalHold.Validate(name, reason) is { } invalid)
        {
            return invalid;
        }

        if ((ids is null or { Count: 0 }) == (filter is null))
        {
            return Error.Invalid("documents", "Name the documents to hold: documentIds, or a filter (and not both).");
        }

        if (ids is { Count: > LegalHold.MaxDocumentsPlaced })
        {
            return Error.Invalid("documentIds", $"A hold takes at most {LegalHold.MaxDocumentsPlaced:N0} documents at once.");
        }

        var chosen = ids?.Distinct().ToList() ?? [];
        if (filter is not null)
        {
            var matched = await MatchingAsync(tenantId, filter, cancellationToken);
            if (matched.Error is { } refused)
            {
                return refused;
            }

            chosen = matched.Value!;
        }

        var now = time.GetUtcNow();
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        LegalHold hold;
        if (holdId is { } id)
        {
            if (await db.LegalHolds.SingleOrDefaultAsync(h => h.Id == id, cancellationToken) is not { LiftedAt: null } existing)
            {
                return Error.NotFound("The hold");
            }

            hold = existing;
        }
        else
        {
            hold = new LegalHold { Id = Guid.CreateVersion7(now), TenantId = tenantId, Name = name!.Trim(), Reason = reason!.Trim(), PlacedBy = audit.Actor.Name, PlacedAt = now };
            db.LegalHolds.Add(hold);
        }

        var existingDocuments = await db.Documents.Where(d => chosen.Contains(d.Id)).Select(d => d.Id).ToListAsync(cancellationToken);
        if (existingDocuments.Count < chosen.Count)
        {
            return Error.Invalid("documentIds", $"There is no document {chosen.Except(existingDocuments).First()}.");
        }

        var already = await db.HeldDocuments.Where(h => h.HoldId == hold.Id).Select(h => h.DocumentId).ToListAsync(cancellationToken);
        foreach (var documentId in existingDocuments.Except(already))
        {
            db.HeldDocuments.Add(new HeldDocument { TenantId = tenantId, HoldId = hold.Id, DocumentId = documentId, HeldSince = now });
            audit.Changed(tenantId, AuditActions.HoldPlaced, documentId, details: new { holdId = hold.Id, hold = hold.Name, hold.Reason });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return hold;
    }

    /// <summary>Every document the filter matches, page by page, or a refusal when there are more than a hold takes.</summary>
    private async Task<Outcome<List<Guid>>> MatchingAsync(Guid tenantId, DocumentQuery filter, CancellationToken cancellationToken)
    {
        var found = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await list.HandleAsync(tenantId, filter with { Cursor = cursor, Limit = 200, Order = null }, cancellationToken);
            if (page.Error is { } refused)
            {
                return refused;
            }

            found.AddRange(page.Value!.Documents.Select(d => d.Id));
            if (found.Count > LegalHold.MaxDocumentsPlaced)
            {
                return Error.Invalid("filter", $"The filter matches more than {LegalHold.MaxDocumentsPlaced:N0} documents: narrow it, or place the hold in parts.");
            }

            cursor = page.Value.NextCursor;
        }
        while (cursor is not null);

        return found.Count == 0 ? Error.Invalid("filter", "The filter matches no document.") : found;
    }
}
