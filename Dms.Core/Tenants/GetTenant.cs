using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Tenants;

/// <summary>One tenant: for an operator, or a tenant's own user asking about their tenant.</summary>
public sealed class GetTenant(DmsDbContext db)
{
    public async Task<Outcome<Tenant>> HandleAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        return await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken) is { } tenant ? tenant : TenantErrors.NotFound;
    }
}
