using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dms.Idempotency;

/// <summary>
/// Remembers the answers to requests sent with an <c>Idempotency-Key</c>, per tenant and caller, for
/// <see cref="IdempotencyOptions.KeyLifetime"/>.
/// </summary>
public sealed class IdempotencyStore(
    DmsDbContext db, NpgsqlDataSource dataSource, DatabaseConnections connections, IOptions<IdempotencyOptions> options, TimeProvider time)
{
    /// <summary>
    /// Holds requests with the same key one at a time (a PostgreSQL advisory lock), so two concurrent retries cannot
    /// both act: the second finds the first one's answer.
    /// </summary>
    public async Task<IAsyncDisposable> LockAsync(Guid tenantId, string caller, string key, CancellationToken cancellationToken)
    {
        var connection = await connections.OpenAsync(dataSource, cancellationToken);
        var lockKey = $"{tenantId}/{caller}/{key}";
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended($1, 0))", connection) { Parameters = { new() { Value = lockKey } } })
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        return new KeyLock(connection, lockKey);
    }

    private sealed class KeyLock(NpgsqlConnection connection, string lockKey) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 0))", connection) { Parameters = { new() { Value = lockKey } } })
            {
                await release.ExecuteNonQueryAsync();
            }

            await connection.DisposeAsync();
        }
    }

    /// <summary>The caller's answer for the key, unless it is older than the key's lifetime.</summary>
    public async Task<IdempotencyRecord?> FindAsync(Guid tenantId, string caller, string key, CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - options.Value.KeyLifetime;
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        return await db.IdempotencyKeys.AsNoTracking()
            .SingleOrDefaultAsync(r => r.TenantId == tenantId && r.Caller == caller && r.Key == key && r.CreatedAt >= since, cancellationToken);
    }

    /// <summary>Keeps the first answer given for a key (a concurrent duplicate does not overwrite it); one past its lifetime is replaced.</summary>
    public async Task SaveAsync(
        Guid tenantId, string caller, string key, string requestHash, int statusCode, string responseBody, string? location, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO idempotency_keys (tenant_id, caller, key, request_hash, status_code, response_body, location, created_at)
            VALUES ({tenantId}, {caller}, {key}, {requestHash}, {statusCode}, {responseBody}::jsonb, {location}, {now})
            ON CONFLICT (tenant_id, caller, key) DO UPDATE
            SET request_hash = excluded.request_hash, status_code = excluded.status_code, response_body = excluded.response_body,
                location = excluded.location, created_at = excluded.created_at
            WHERE idempotency_keys.created_at < {now - options.Value.KeyLifetime}
            """,
            cancellationToken);
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
