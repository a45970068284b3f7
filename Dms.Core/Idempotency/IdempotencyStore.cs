using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dms.Idempotency;

/// <summary>Remembers the answers to requests sent with an <c>Idempotency-Key</c>, per tenant.</summary>
public sealed class IdempotencyStore(DmsDbContext db, NpgsqlDataSource dataSource, DatabaseConnections connections, TimeProvider time)
{
    /// <summary>
    /// Holds requests with the same key one at a time (a PostgreSQL advisory lock), so two concurrent retries cannot
    /// both act: the second finds the first one's answer.
    /// </summary>
    public async Task<IAsyncDisposable> LockAsync(Guid tenantId, string key, CancellationToken cancellationToken)
    {
        var connection = await connections.OpenAsync(dataSource, cancellationToken);
        var lockKey = $"{tenantId}/{key}";
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

    public async Task<IdempotencyRecord?> FindAsync(Guid tenantId, string key, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        return await db.IdempotencyKeys.AsNoTracking().SingleOrDefaultAsync(r => r.TenantId == tenantId && r.Key == key, cancellationToken);
    }

    /// <summary>Keeps the first answer given for a key: a concurrent duplicate does not overwrite it.</summary>
    public async Task SaveAsync(Guid tenantId, string key, string requestHash, int statusCode, string responseBody, string? location, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO idempotency_keys (tenant_id, key, request_hash, status_code, response_body, location, created_at)
            VALUES ({tenantId}, {key}, {requestHash}, {statusCode}, {responseBody}::jsonb, {location}, {time.GetUtcNow()})
            ON CONFLICT DO NOTHING
            """,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
