using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Operations;

/// <summary>The kinds and outcomes of <see cref="OperationEvent"/>, and how they are written.</summary>
public static class OperationEvents
{
    public const string Upload = "upload";
    /// <summary>How a document's processing ended; the outcome is a <see cref="Processing.ProcessingOutcome"/>'s name.</summary>
    public const string Processing = "processing";

    /// <summary>How long events are kept: the status looks back minutes, an operator's question at most days.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    public static class UploadOutcomes
    {
        public const string Initiated = "initiated";
        public const string Completed = "completed";

        /// <summary><c>complete</c> found no bytes, the wrong size or the wrong checksum.</summary>
        public const string Failed = "failed";

        /// <summary>The upload URL ran out before the upload was completed; the reservation was released.</summary>
        public const string Expired = "expired";
    }

    /// <summary>
    /// Adds the event to what the caller's next <c>SaveChanges</c> writes (in the same batch as the rest), in a transaction
    /// that must be bound to <paramref name="tenantId"/> (or cross-tenant).
    /// </summary>
    public static void RecordEvent(this DmsDbContext db, Guid tenantId, string kind, string outcome, DateTimeOffset at) =>
        db.OperationEvents.Add(new OperationEvent { TenantId = tenantId, Kind = kind, Outcome = outcome, OccurredAt = at });

    /// <summary>Counts each kind's outcomes since <paramref name="since"/>, across tenants.</summary>
    public static async Task<IReadOnlyDictionary<(string Kind, string Outcome), long>> CountEventsAsync(
        this DmsDbContext db, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        var counts = await db.OperationEvents.AsNoTracking()
            .Where(e => e.OccurredAt >= since)
            .GroupBy(e => new { e.Kind, e.Outcome })
            .Select(g => new { g.Key.Kind, g.Key.Outcome, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        return counts.ToDictionary(c => (c.Kind, c.Outcome), c => c.Count);
    }

    /// <summary>Deletes events older than <paramref name="before"/>, across tenants; returns how many.</summary>
    public static async Task<int> PruneEventsAsync(this DmsDbContext db, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        var deleted = await db.OperationEvents.Where(e => e.OccurredAt < before).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }
}
