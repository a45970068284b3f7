using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.Idempotency;

/// <summary>What <see cref="IdempotencyStore.ClaimAsync"/> found for a key.</summary>
public enum KeyClaim
{
    /// <summary>The key is this request's now: act, then <see cref="IdempotencyStore.SaveAsync"/> or <see cref="IdempotencyStore.ReleaseAsync"/>.</summary>
    Claimed,

    /// <summary>An earlier request with the key has answered: replay its answer, or refuse if it was another request.</summary>
    Answered,

    /// <summary>A request with the key is acting right now: the caller retries later.</summary>
    InProgress,
}

/// <summary>
/// Remembers the answers to requests sent with an <c>Idempotency-Key</c>, per tenant and caller, for
/// <see cref="IdempotencyOptions.KeyLifetime"/>. A request claims its key first with a pending row (a short
/// transaction of its own, on the request's own context): no connection or lock is held while the request acts, so
/// any number of concurrent idempotent requests cannot starve the pool, and a concurrent duplicate is told "in
/// progress" instead of waiting.
/// </summary>
public sealed class IdempotencyStore(DmsDbContext db, IOptions<IdempotencyOptions> options, TimeProvider time)
{
    /// <summary>A pending row has status 0: no answer yet.</summary>
    private const int Pending = 0;

    /// <summary>Claims the key for this request, or says who has it; <paramref name="earlier"/> is the answer found.</summary>
    public async Task<(KeyClaim Claim, IdempotencyRecord? Earlier)> ClaimAsync(
        Guid tenantId, string caller, string key, string requestHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var forgotten = now - options.Value.KeyLifetime;
        var abandoned = now - options.Value.InProgressLifetime;
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SET LOCAL lock_timeout = '5s'", cancellationToken);
        // A record past its lifetime, or a claim whose request never answered (its process stopped), is taken over.
        var claimed = await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO idempotency_keys (tenant_id, caller, key, request_hash, status_code, response_body, location, created_at)
            VALUES ({tenantId}, {caller}, {key}, {requestHash}, {Pending}, 'null'::jsonb, NULL, {now})
            ON CONFLICT (tenant_id, caller, key) DO UPDATE
            SET request_hash = excluded.request_hash, status_code = excluded.status_code, response_body = excluded.response_body,
                location = excluded.location, created_at = excluded.created_at
            WHERE idempotency_keys.created_at < {forgotten}
               OR (idempotency_keys.status_code = {Pending} AND idempotency_keys.created_at < {abandoned})
            """,
            cancellationToken);
        if (claimed == 1)
        {
            await transaction.CommitAsync(cancellationToken);
            return (KeyClaim.Claimed, null);
        }

        var earlier = await db.IdempotencyKeys.AsNoTracking()
            .SingleAsync(r => r.TenantId == tenantId && r.Caller == caller && r.Key == key, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return earlier.StatusCode == Pending ? (KeyClaim.InProgress, earlier) : (KeyClaim.Answered, earlier);
    }

    /// <summary>Keeps the claimed key's answer, replayed to the caller's retries from now on.</summary>
    public async Task SaveAsync(
        Guid tenantId, string caller, string key, string requestHash, int statusCode, string responseBody, string? location, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE idempotency_keys SET status_code = {statusCode}, response_body = {responseBody}::jsonb, location = {location}
            WHERE tenant_id = {tenantId} AND caller = {caller} AND key = {key} AND request_hash = {requestHash} AND status_code = {Pending}
            """,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Gives the claimed key back when the request did not succeed, so that a retry acts.</summary>
    public async Task ReleaseAsync(Guid tenantId, string caller, string key, string requestHash, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        await db.IdempotencyKeys
            .Where(r => r.TenantId == tenantId && r.Caller == caller && r.Key == key && r.RequestHash == requestHash && r.StatusCode == Pending)
            .ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}

public static class IdempotencyPruning
{
    /// <summary>Deletes the answers kept since before <paramref name="before"/>, across tenants; returns how many.</summary>
    public static async Task<int> PruneIdempotencyKeysAsync(this DmsDbContext db, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        var deleted = await db.IdempotencyKeys.Where(r => r.CreatedAt < before).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }
}
