using Dms.Persistence;
using Dms.Storage;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Lifecycle;

/// <summary>The worker's side of a purge: deletes the bytes a <see cref="BytesPurge"/> names, then the request.</summary>
public sealed class DeletePurgedBytes(DmsDbContext db, IBlobStore blobs)
{
    /// <summary>The oldest requests first, across tenants.</summary>
    public async Task<List<BytesPurge>> WaitingAsync(int limit, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        return await db.BytesPurges.AsNoTracking().OrderBy(p => p.Id).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>Deletes the bytes, then the request; a failure leaves the request for the next sweep.</summary>
    public async Task<bool> HandleAsync(BytesPurge purge, CancellationToken cancellationToken)
    {
        await blobs.DeletePrefixAsync(purge.Prefix, cancellationToken);
        await using var transaction = await db.BeginTenantTransactionAsync(purge.TenantId, cancellationToken);
        var deleted = await db.BytesPurges.Where(p => p.Id == purge.Id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted == 1;
    }
}
