using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Tenants;

/// <summary>Every tenant, by name (operators, and the worker's storage figures).</summary>
public sealed class ListTenants(DmsDbContext db)
{
    public async Task<IReadOnlyList<Tenant>> HandleAsync(CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        return await db.Tenants.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
    }
}
