using Dms.Data;
using Microsoft.EntityFrameworkCore;

namespace Dms.Idempotency;

/// <summary>Remembers the answers to requests sent with an <c>Idempotency-Key</c>, per tenant.</summary>
public sealed class IdempotencyStore(DmsDbContext db, TimeProvider time)
{
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
