namespace Dms.Contracts.Http;

/// <summary>What a client needs before it signs in: who issues the API's tokens (for <c>dms login</c>). Nothing about the servers.</summary>
public sealed record InfoResponse(string Service, IdentityInfo Identity);

/// <summary>The user pool (<c>{endpoint}/{poolId}</c>) and app client a client signs in with; public, as OIDC discovery is.</summary>
public sealed record IdentityInfo(string? Authority, string? ClientId);

/// <summary>What is running, for operators: the API's build, the database schema it found and the database server's version.</summary>
public sealed record ServerInfoResponse(string Service, string Version, string? SchemaVersion, int AppliedMigrations, string DatabaseVersion);

/// <summary>The runbook's key metrics over a window; <see cref="State"/> is the worst of theirs.</summary>
public sealed record StatusResponse(DateTimeOffset MeasuredAt, int WindowMinutes, string State, IReadOnlyList<MetricStatus> Metrics);

/// <summary>One of the runbook's key metrics now: its value against target and alert line, and its state.</summary>
/// <param name="Value">Null when nothing happened in the window to measure (no requests, no uploads).</param>
/// <param name="State">One of <see cref="MetricStates"/>.</param>
public sealed record MetricStatus(string Name, double? Value, string Unit, string Target, string AlertAt, string State, string Detail);

/// <summary>The states of a metric, best to worst.</summary>
public static class MetricStates
{
    public const string Ok = "OK";
    public const string Warn = "WARN";
    public const string Alert = "ALERT";
}

/// <summary>A job the worker gave up on: which document, why, after how many attempts.</summary>
public sealed record DeadLetterResponse(string Id, Guid TenantId, Guid DocumentId, int Version, int Attempts, string? Error, DateTimeOffset DeadLetteredAt);

/// <summary>How many an operator action touched.</summary>
public sealed record CountResponse(int Count);
