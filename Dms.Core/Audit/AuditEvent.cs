using System.Text.Json;
using Dms.Contracts.Http;

namespace Dms.Audit;

/// <summary>
/// One thing that happened to a tenant's data or was done in its name: who (<see cref="AuditActor"/>), when, from
/// where, to which document and version, and how it ended. Rows are only ever added: the application's database role
/// may insert and read them, never change or delete them, and <see cref="AuditChain"/> links each tenant's rows into
/// a hash chain that shows any change made behind its back.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>One of <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }

    /// <summary><c>user</c>, <c>operator</c> or <c>system</c> (<see cref="AuditActor"/>).</summary>
    public required string ActorKind { get; set; }

    /// <summary>The actor's subject at the identity provider, or the system part that acted.</summary>
    public required string ActorId { get; set; }

    /// <summary>The name shown for the actor (their e-mail address).</summary>
    public required string ActorName { get; set; }

    public string? ClientAddress { get; set; }
    public string? UserAgent { get; set; }
    public Guid? DocumentId { get; set; }
    public int? Version { get; set; }

    /// <summary><see cref="AuditOutcomes.Succeeded"/> or <see cref="AuditOutcomes.Refused"/>.</summary>
    public required string Outcome { get; set; }

    /// <summary>What else says what happened, as a JSON object (an edit's values before and after, a refusal's reason).</summary>
    public string? Details { get; set; }

    /// <summary>
    /// The database transaction that wrote the row (set by the database): the chain takes rows in this order, and only
    /// rows of transactions that can no longer commit, so a row that commits late is never passed over.
    /// </summary>
    public long TransactionId { get; set; }

    /// <summary>The event as clients read it: the API's pages, its NDJSON and CSV exports, and the archive's files.</summary>
    public AuditEventResponse ToResponse() => new(
        Id, OccurredAt, Action, ActorKind, ActorId, ActorName, ClientAddress, UserAgent, DocumentId, Version, Outcome,
        Details is null ? null : JsonDocument.Parse(Details).RootElement.Clone());
}

/// <summary>
/// A link of a tenant's chain: the event at <see cref="Position"/>, the hash of the link before it, and the SHA-256
/// of that hash and the event's content (<see cref="AuditDigest"/>). Like the events, only ever added.
/// </summary>
public sealed class AuditSeal
{
    public Guid TenantId { get; set; }
    public long Position { get; set; }
    public long EventId { get; set; }
    public required byte[] PreviousHash { get; set; }
    public required byte[] Hash { get; set; }
}

public static class AuditOutcomes
{
    public const string Succeeded = "succeeded";
    public const string Refused = "refused";
}
