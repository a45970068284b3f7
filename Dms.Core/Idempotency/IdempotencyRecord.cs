namespace Dms.Idempotency;

/// <summary>
/// The answer given to a request with an <c>Idempotency-Key</c>, replayed when the same caller retries it within
/// <see cref="IdempotencyOptions.KeyLifetime"/>.
/// </summary>
public sealed class IdempotencyRecord
{
    public Guid TenantId { get; set; }

    /// <summary>Whose key it is (the token's subject): another user of the tenant with the same key is another request.</summary>
    public required string Caller { get; set; }

    public required string Key { get; set; }

    /// <summary>What the request was (method, path, body hash): the same key with another request is a conflict.</summary>
    public required string RequestHash { get; set; }

    /// <summary>The answer's status; 0 while the request that claimed the key is still acting.</summary>
    public int StatusCode { get; set; }
    public required string ResponseBody { get; set; }
    public string? Location { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
