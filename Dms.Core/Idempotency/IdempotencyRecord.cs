namespace Dms.Idempotency;

/// <summary>The answer given to a request with an <c>Idempotency-Key</c>, replayed when the client retries it.</summary>
public sealed class IdempotencyRecord
{
    public Guid TenantId { get; set; }
    public required string Key { get; set; }

    /// <summary>What the request was (method, path, body hash): the same key with another request is a conflict.</summary>
    public required string RequestHash { get; set; }

    public int StatusCode { get; set; }
    public required string ResponseBody { get; set; }
    public string? Location { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
