namespace Dms.Contracts.Http;

/// <summary>The names of what an audit event records: the subject, a dot, what happened to it.</summary>
public static class AuditActions
{
    public const string SignedIn = "user.signed_in";

    public const string DocumentCreated = "document.created";
    public const string DocumentViewed = "document.viewed";
    public const string TextRead = "document.text_read";
    public const string PageRead = "document.page_read";
    public const string Downloaded = "document.downloaded";
    public const string Edited = "document.edited";
    public const string Versioned = "document.versioned";
    public const string Trashed = "document.trashed";
    public const string Restored = "document.restored";
    public const string Purged = "document.purged";
    public const string Reprocessed = "document.reprocessed";
    public const string NoteAdded = "document.note_added";
    public const string NoteDeleted = "document.note_deleted";
    public const string HoldPlaced = "document.hold_placed";
    public const string HoldLifted = "document.hold_lifted";
    public const string PermissionsChanged = "document.permissions_changed";
    public const string ShareCreated = "document.share_created";
    public const string ShareOpened = "document.share_opened";
    public const string ShareRevoked = "document.share_revoked";
    public const string RetentionDue = "document.retention_due";
    public const string RetentionKept = "document.retention_kept";

    public const string TenantCreated = "tenant.created";
    public const string TenantChanged = "tenant.changed";
    public const string UserAdded = "user.added";
    public const string UserChanged = "user.changed";
    public const string DeadLetterRedriven = "dead_letter.redriven";
    public const string DeadLetterPurged = "dead_letter.purged";
    public const string AuditVerified = "audit.verified";
    public const string GroupCreated = "group.created";
    public const string GroupChanged = "group.changed";
    public const string GroupDeleted = "group.deleted";

    /// <summary>Every action, for the filters' check and the documentation.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        SignedIn, DocumentCreated, DocumentViewed, TextRead, PageRead, Downloaded, Edited, Versioned, Trashed, Restored, Purged,
        Reprocessed, NoteAdded, NoteDeleted, HoldPlaced, HoldLifted, PermissionsChanged, ShareCreated, ShareOpened, ShareRevoked, RetentionDue, RetentionKept, GroupCreated, GroupChanged, GroupDeleted, TenantCreated, TenantChanged, UserAdded, UserChanged, DeadLetterRedriven,
        DeadLetterPurged, AuditVerified,
    ];
}

/// <summary>The formats of an audit export (<c>format</c>): a JSON page, or every matching event as NDJSON or CSV.</summary>
public static class AuditFormats
{
    public const string Json = "json";
    public const string Ndjson = "ndjson";
    public const string Csv = "csv";

    public static readonly string[] All = [Json, Ndjson, Csv];
}

/// <summary>
/// One event of a tenant's audit trail: what happened (<see cref="AuditActions"/>), who did it (<c>actorKind</c>: user,
/// operator or system), from where, to which document and version, how it ended (succeeded or refused), and the
/// details (an edit's values before and after, a refusal's reason).
/// </summary>
public sealed record AuditEventResponse(
    long Id, DateTimeOffset OccurredAt, string Action, string ActorKind, string ActorId, string ActorName, string? ClientAddress, string? UserAgent,
    Guid? DocumentId, int? Version, string Outcome, System.Text.Json.JsonElement? Details);

/// <summary>A page of events, newest first; <c>nextBefore</c> asks for the next (null at the end).</summary>
public sealed record AuditPageResponse(List<AuditEventResponse> Events, long? NextBefore);

/// <summary>
/// What the check of a tenant's hash chain found: <c>intact</c>, how many links were checked, and otherwise the first
/// link that does not hold (<c>brokenPosition</c>, its event) and what is wrong there; <c>unsealed</c> events are
/// not in the chain yet (sealed within seconds).
/// </summary>
public sealed record AuditVerificationResponse(
    Guid TenantId, bool Intact, long Links, long? BrokenPosition, long? BrokenEventId, string? Problem, long Unsealed);
