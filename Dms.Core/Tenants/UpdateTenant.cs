using Dms.Contracts.Http;
using Dms.Audit;
using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Tenants;

/// <summary>Changes a tenant's name, plan, quota or retention (operators): what is given, checked as a new tenant's are.</summary>
public sealed class UpdateTenant(DmsDbContext db, AuditTrail audit)
{
    public async Task<Outcome<Tenant>> HandleAsync(Guid id, TenantChanges changes, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        if (await db.Tenants.SingleOrDefaultAsync(t => t.Id == id, cancellationToken) is not { } tenant)
        {
            return TenantErrors.NotFound;
        }

        var before = new { tenant.Name, tenant.Plan, tenant.StorageQuotaBytes, tenant.RetentionDays };
        if (tenant.Apply(changes) is { } invalid)
        {
            return invalid;
        }

        audit.Changed(tenant.Id, AuditActions.TenantChanged, details: new { before, after = new { tenant.Name, tenant.Plan, tenant.StorageQuotaBytes, tenant.RetentionDays } });

        if (await db.SaveTenantAsync(tenant, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await transaction.CommitAsync(cancellationToken);
        return tenant;
    }
}
