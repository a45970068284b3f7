namespace Dms.Audit;

/// <summary>Who acted, and from where: a tenant's user, an operator, or a part of Dms itself.</summary>
public sealed record AuditActor(string Kind, string Id, string Name, string? ClientAddress = null, string? UserAgent = null)
{
    public const string User = "user";
    public const string Operator = "operator";
    public const string SystemKind = "system";

    /// <summary>Someone without an account, through a share link (its id): who they are, nobody knows.</summary>
    public const string ShareLinkKind = "share_link";

    /// <summary>The longest user agent kept; past it, the rest is cut.</summary>
    public const int MaxUserAgent = 256;

    /// <summary>Dms itself: the worker's sweeps, the pipeline.</summary>
    public static AuditActor System(string part) => new(SystemKind, part, "Dms " + part);

    /// <summary>A user agent as a client named itself, cut to <see cref="MaxUserAgent"/> characters, without control characters.</summary>
    public static string? CleanUserAgent(string? agent) =>
        string.IsNullOrWhiteSpace(agent) ? null : new string([.. agent.Where(c => !char.IsControl(c)).Take(MaxUserAgent)]);
}

/// <summary>
/// The actor of the current scope (a request, a job): the api sets it from the caller's token and address before an
/// endpoint runs; anything else acts as <see cref="AuditActor.System"/>.
/// </summary>
public sealed class AuditContext
{
    public AuditActor Actor { get; set; } = AuditActor.System("worker");
}
