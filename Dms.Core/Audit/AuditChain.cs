using Dms.Persistence;
using Dms.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Dms.Audit;

/// <summary>What <see cref="AuditChain.VerifyAsync"/> found: intact, or the first link that is not.</summary>
/// <param name="Links">Links checked.</param>
/// <param name="BrokenPosition">The first link that does not hold, when one does not.</param>
/// <param name="BrokenEventId">The event of that link.</param>
/// <param name="Problem">What is wrong there, in words.</param>
/// <param name="Unsealed">Events not yet in the chain (written in the last seconds, or the sealer is behind).</param>
public sealed record AuditVerification(Guid TenantId, bool Intact, long Links, long? BrokenPosition, long? BrokenEventId, string? Problem, long Unsealed);

/// <summary>
/// Each tenant's audit events as a hash chain. <see cref="SealAsync"/> (the worker, every few seconds) adds a link for
/// each event not yet in the chain, in the order of the transactions that wrote them, taking only events whose
/// transaction can no longer commit: so an event that commits late is sealed at the next pass, never skipped.
/// <see cref="VerifyAsync"/> walks the chain again and names the first link whose event was changed or deleted, whose
/// previous hash does not match, or an event slipped in behind the chain's head. A tenant whose chain cannot be
/// extended (its head's event deleted by hand) is left as it is and logged; the other tenants' chains go on.
/// </summary>
public sealed partial class AuditChain(DmsDbContext db, ILogger<AuditChain> logger)
{
    public const int BatchSize = 2000;
    private const int VerifyPage = 5000;

    /// <summary>
    /// Seals what is waiting, tenant by tenant: the tenants with events written by transactions from
    /// <paramref name="since"/> on (everything before it was sealed by the passes before). Returns how many events were
    /// sealed and where the next pass starts.
    /// </summary>
    public async Task<(int Sealed, long Since)> SealAsync(long since, CancellationToken cancellationToken)
    {
        long horizon;
        List<Guid> tenants;
        await using (await db.BeginCrossTenantTransactionAsync(cancellationToken))
        {
            horizon = await HorizonAsync(cancellationToken);
            tenants = await db.AuditEvents.AsNoTracking().Where(e => e.TransactionId >= since && e.TransactionId < horizon)
                .Select(e => e.TenantId).Distinct().ToListAsync(cancellationToken);
        }

        var sealedCount = 0;
        var next = horizon;
        foreach (var tenantId in tenants)
        {
            try
            {
                int added;
                do
                {
                    added = await SealTenantAsync(tenantId, cancellationToken);
                    sealedCount += added;
                }
                while (added == BatchSize);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // This tenant's events are looked at again next pass; no other tenant waits for them.
                db.ChangeTracker.Clear();
                next = since;
                LogNotSealed(logger, tenantId, e.Message);
            }
        }

        return (sealedCount, next);
    }

    /// <summary>Every transaction below this one has ended: its events, if it committed, are all visible from now on.</summary>
    private Task<long> HorizonAsync(CancellationToken cancellationToken) =>
        db.Database.SqlQuery<long>($"SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS \"Value\"").SingleAsync(cancellationToken);

    private async Task<int> SealTenantAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        await db.LockAsync(TenantLock.AuditChain, tenantId, cancellationToken);

        var horizon = await HorizonAsync(cancellationToken);
        var head = await HeadAsync(tenantId, cancellationToken);
        if (head is { TransactionId: null })
        {
            throw new InvalidOperationException(
                $"the event of its chain's last link ({head.Position}) was deleted behind the chain's back, so the chain is not extended: `dms audit verify` names it");
        }

        var waiting = db.AuditEvents.AsNoTracking().Where(e => e.TenantId == tenantId && e.TransactionId < horizon);
        if (head is not null)
        {
            waiting = waiting.Where(e => e.TransactionId > head.TransactionId || (e.TransactionId == head.TransactionId && e.Id > head.EventId));
        }

        var events = await waiting.OrderBy(e => e.TransactionId).ThenBy(e => e.Id).Take(BatchSize).ToListAsync(cancellationToken);
        var (position, previous) = head is null ? (0L, AuditDigest.Genesis) : (head.Position, head.Hash);
        foreach (var audit in events)
        {
            var hash = AuditDigest.Link(previous, audit);
            db.AuditSeals.Add(new AuditSeal { TenantId = tenantId, Position = ++position, EventId = audit.Id, PreviousHash = previous, Hash = hash });
            previous = hash;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return events.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not extend the audit chain of tenant {tenantId}: {reason}")]
    private static partial void LogNotSealed(ILogger logger, Guid tenantId, string reason);

    /// <summary>The chain's last link; its event's transaction is null when the event is gone.</summary>
    private sealed record Head(long Position, byte[] Hash, long EventId, long? TransactionId);

    private async Task<Head?> HeadAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var last = await db.AuditSeals.AsNoTracking().Where(s => s.TenantId == tenantId).OrderByDescending(s => s.Position).FirstOrDefaultAsync(cancellationToken);
        return last is null ? null : new Head(last.Position, last.Hash, last.EventId,
            await db.AuditEvents.Where(e => e.Id == last.EventId).Select(e => (long?)e.TransactionId).SingleOrDefaultAsync(cancellationToken));
    }

    /// <summary>Walks the tenant's chain from its first kept link (older ones go with the audit retention) to its head.</summary>
    public async Task<AuditVerification> VerifyAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        using var reading = db.ReadAsTenant(tenantId);
        long links = 0, after = 0;
        byte[]? previous = null;
        while (true)
        {
            var page = await db.AuditSeals.AsNoTracking()
                .Where(s => s.TenantId == tenantId && s.Position > after)
                .OrderBy(s => s.Position)
                .Take(VerifyPage)
                .GroupJoin(db.AuditEvents, s => s.EventId, e => e.Id, (s, events) => new { Seal = s, Events = events })
                .SelectMany(x => x.Events.DefaultIfEmpty(), (x, e) => new { x.Seal, Event = e })
                .ToListAsync(cancellationToken);
            foreach (var (seal, audit) in page.Select(p => (p.Seal, p.Event)))
            {
                var problem =
                    previous is null && seal.Position == 1 && !seal.PreviousHash.AsSpan().SequenceEqual(AuditDigest.Genesis) ? "the first link does not start the chain" :
                    previous is not null && seal.Position != after + 1 ? $"links {after + 1} to {seal.Position - 1} are missing" :
                    previous is not null && !seal.PreviousHash.AsSpan().SequenceEqual(previous) ? "its previous hash is not the hash of the link before it" :
                    audit is null ? $"its event {seal.EventId} was deleted" :
                    !AuditDigest.Link(seal.PreviousHash, audit).AsSpan().SequenceEqual(seal.Hash) ? $"its event {seal.EventId} was changed after it was sealed" :
                    null;
                if (problem is not null)
                {
                    return new AuditVerification(tenantId, false, links, seal.Position, seal.EventId, $"Link {seal.Position}: {problem}.", await UnsealedAsync(tenantId, cancellationToken));
                }

                links++;
                previous = seal.Hash;
                after = seal.Position;
            }

            if (page.Count < VerifyPage)
            {
                break;
            }
        }

        // An event behind the head that is in no link was added after its place in the order had been sealed.
        if (await HeadAsync(tenantId, cancellationToken) is { TransactionId: not null } head)
        {
            var slipped = await db.AuditEvents.AsNoTracking()
                .Where(e => e.TenantId == tenantId
                    && (e.TransactionId < head.TransactionId || (e.TransactionId == head.TransactionId && e.Id < head.EventId))
                    && !db.AuditSeals.Any(s => s.EventId == e.Id))
                .OrderBy(e => e.Id).Select(e => (long?)e.Id).FirstOrDefaultAsync(cancellationToken);
            if (slipped is { } eventId)
            {
                return new AuditVerification(tenantId, false, links, null, eventId, $"Event {eventId} is in no link although the chain has passed its place: it was added behind the chain's back.", await UnsealedAsync(tenantId, cancellationToken));
            }
        }

        return new AuditVerification(tenantId, true, links, null, null, null, await UnsealedAsync(tenantId, cancellationToken));
    }

    /// <summary>
    /// Deletes, for each tenant, the sealed events older than its plan's retention (<see cref="AuditOptions.RetentionFor"/>),
    /// through the database's own function, which keeps every event of the last 30 days whatever it is asked.
    /// </summary>
    public async Task<long> PruneAsync(AuditOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        List<(Guid Id, string Plan)> tenants;
        await using (await db.BeginCrossTenantTransactionAsync(cancellationToken))
        {
            tenants = (await db.Tenants.AsNoTracking().Select(t => new { t.Id, t.Plan }).ToListAsync(cancellationToken)).Select(t => (t.Id, t.Plan)).ToList();
        }

        long pruned = 0;
        foreach (var (tenantId, plan) in tenants)
        {
            var before = now.AddDays(-options.RetentionFor(plan));
            await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
            pruned += await db.Database.SqlQuery<long>($"SELECT dms_audit_prune({tenantId}, {before}) AS \"Value\"").SingleAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return pruned;
    }

    private Task<long> UnsealedAsync(Guid tenantId, CancellationToken cancellationToken) =>
        db.AuditEvents.AsNoTracking().LongCountAsync(e => e.TenantId == tenantId && !db.AuditSeals.Any(s => s.EventId == e.Id), cancellationToken);
}
