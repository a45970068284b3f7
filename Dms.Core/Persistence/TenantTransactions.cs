using Dms.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dms.Persistence;

/// <summary>
/// Every read and write of tenant data runs in a transaction that names its tenant and who reads (the context's
/// <see cref="DmsDbContext.Viewer"/>): row-level security then hides every other tenant's rows, and the documents the
/// viewer was not granted, even from a query that forgot its filter.
/// </summary>
public static class TenantTransactions
{
    public static async Task<IDbContextTransaction> BeginTenantTransactionAsync(this DmsDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"SELECT set_config({DatabaseNames.TenantSetting}, {tenantId.ToString()}, true), set_config({DatabaseNames.ViewerSetting}, {db.Viewer}, true)", cancellationToken);
        return transaction;
    }

    /// <summary>For the operator's use cases and the worker, which act across tenants on purpose.</summary>
    public static async Task<IDbContextTransaction> BeginCrossTenantTransactionAsync(this DmsDbContext db, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(DatabaseNames.CrossTenantStatement, cancellationToken);
        return transaction;
    }
}
