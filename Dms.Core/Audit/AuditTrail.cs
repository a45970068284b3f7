using System.Text.Json;
using System.Text.Json.Nodes;
using Dms.Common;
using Dms.Persistence;
using Microsoft.Extensions.Options;

namespace Dms.Audit;

/// <summary>
/// Writes the audit trail for the current actor. A change is recorded in the caller's transaction (its next
/// <c>SaveChanges</c>), so it is in the trail exactly when the change committed. A read goes to
/// <see cref="AuditReadQueue"/>, written within a second in batches, so a read costs no write of its own.
/// </summary>
public sealed class AuditTrail(DmsDbContext db, AuditContext context, AuditReadQueue reads, IOptions<AuditOptions> options, TimeProvider time)
{
    /// <summary>camelCase names; statuses and other enumerations by their names as the API writes them (<c>pending_upload</c>).</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public AuditActor Actor => context.Actor;

    /// <summary>Adds the event of a change to what the caller's transaction (bound to <paramref name="tenantId"/> or cross-tenant) saves next.</summary>
    public void Changed(Guid tenantId, string action, Guid? documentId = null, int? version = null, object? details = null) =>
        db.AuditEvents.Add(Event(tenantId, action, documentId, version, AuditOutcomes.Succeeded, details));

    /// <summary>Records a read of one of the tenant's documents (or of what lists them): how it went, or why it was refused (the reason kept).</summary>
    public ValueTask ReadAsync<T>(Guid tenantId, string action, Guid? documentId, Outcome<T> outcome, int? version, object? details = null) =>
        !options.Value.RecordReads ? ValueTask.CompletedTask : reads.EnqueueAsync(Event(
            tenantId, action, documentId, version, outcome.Error is null ? AuditOutcomes.Succeeded : AuditOutcomes.Refused,
            outcome.Error is { } error ? WithReason(details, error.Detail) : details));

    /// <summary>The read's details with the refusal's reason beside them.</summary>
    private static JsonObject WithReason(object? details, string reason)
    {
        var shown = details is null ? [] : JsonSerializer.SerializeToNode(details, Json)!.AsObject();
        shown["reason"] = reason;
        return shown;
    }

    /// <summary>An event done outside a transaction of the caller's (an operator's call to another service): written in one of its own.</summary>
    public ValueTask RecordAsync(Guid tenantId, string action, string outcome, Guid? documentId = null, object? details = null) =>
        reads.EnqueueAsync(Event(tenantId, action, documentId, null, outcome, details));

    private AuditEvent Event(Guid tenantId, string action, Guid? documentId, int? version, string outcome, object? details)
    {
        var actor = context.Actor;
        return new AuditEvent
        {
            TenantId = tenantId,
            OccurredAt = time.GetUtcNow(),
            Action = action,
            ActorKind = actor.Kind,
            ActorId = actor.Id,
            ActorName = actor.Name,
            ClientAddress = actor.ClientAddress,
            UserAgent = actor.UserAgent,
            DocumentId = documentId,
            Version = version,
            Outcome = outcome,
            Details = details is null ? null : JsonSerializer.Serialize(details, Json),
        };
    }
}
