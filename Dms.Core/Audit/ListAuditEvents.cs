using Dms.Common;
using Dms.Contracts.Http;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Audit;

/// <summary>Which of a tenant's events to list: each filter narrows; none lists them all, newest first.</summary>
public sealed record AuditFilter(
    DateTimeOffset? From = null, DateTimeOffset? To = null, string? Action = null, string? Actor = null, Guid? DocumentId = null,
    string? Outcome = null, long? Before = null, int? Limit = null)
{
    public Error? Validate() =>
        Action is not null && !AuditActions.All.Contains(Action) && !AuditActions.All.Any(a => a.StartsWith(Action + ".", StringComparison.Ordinal))
            ? Error.Invalid("action", $"action must be one of {string.Join(", ", AuditActions.All)}, or what comes before a dot (document, user, tenant).")
        : Outcome is not null && Outcome is not (AuditOutcomes.Succeeded or AuditOutcomes.Refused)
            ? Error.Invalid("outcome", "outcome must be succeeded or refused.")
        : From > To ? Error.Invalid("from", "from must not be after to.")
        : Limit is < 1 or > AuditOptions.MaxPageSize ? Error.Invalid("limit", $"limit must be 1 to {AuditOptions.MaxPageSize}.")
        : Actor is { Length: > 320 } ? Error.Invalid("actor", "actor must be at most 320 characters.")
        : null;
}

/// <summary>A page of events, newest first, and where the next begins (null at the end).</summary>
public sealed record AuditPage(IReadOnlyList<AuditEvent> Events, long? NextBefore);

/// <summary>A tenant's audit events, newest first, a page at a time (the API's list, the export and a document's history).</summary>
public sealed class ListAuditEvents(DmsDbContext db)
{
    public const int DefaultPageSize = 100;

    public async Task<Outcome<AuditPage>> HandleAsync(Guid tenantId, AuditFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Validate() is { } invalid)
        {
            return invalid;
        }

        var limit = filter.Limit ?? DefaultPageSize;
        using var reading = db.ReadAsTenant(tenantId);
        var events = await Filtered(tenantId, filter).OrderByDescending(e => e.Id).Take(limit + 1).ToListAsync(cancellationToken);
        return new AuditPage(events.Take(limit).ToList(), events.Count > limit ? events[limit - 1].Id : null);
    }

    /// <summary>Every event the filter names, newest first, read a page at a time (for an export of any length).</summary>
    public async IAsyncEnumerable<AuditEvent> StreamAsync(Guid tenantId, AuditFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var before = filter.Before;
        while (true)
        {
            var page = await HandleAsync(tenantId, filter with { Before = before, Limit = AuditOptions.MaxPageSize }, cancellationToken);
            foreach (var audit in page.Value!.Events)
            {
                yield return audit;
            }

            if (page.Value.NextBefore is not { } next)
            {
                yield break;
            }

            before = next;
        }
    }

    private IQueryable<AuditEvent> Filtered(Guid tenantId, AuditFilter filter)
    {
        var events = db.AuditEvents.AsNoTracking().Where(e => e.TenantId == tenantId);
        if (filter.Before is { } before)
        {
            events = events.Where(e => e.Id < before);
        }

        if (filter.From?.ToUniversalTime() is { } from)
        {
            events = events.Where(e => e.OccurredAt >= from);
        }

        if (filter.To?.ToUniversalTime() is { } to)
        {
            events = events.Where(e => e.OccurredAt <= to);
        }

        if (filter.Action is { } action)
        {
            var prefix = action + ".";
            events = events.Where(e => e.Action == action || e.Action.StartsWith(prefix));
        }

        if (filter.Actor is { } actor)
        {
            events = events.Where(e => e.ActorId == actor || e.ActorName == actor);
        }

        if (filter.DocumentId is { } documentId)
        {
            events = events.Where(e => e.DocumentId == documentId);
        }

        if (filter.Outcome is { } outcome)
        {
            events = events.Where(e => e.Outcome == outcome);
        }

        return events;
    }
}
