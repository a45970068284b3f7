using Dms.Contracts.Http;
using Dms.Audit;
using Dms.Common;
using Dms.Persistence;

namespace Dms.Tenants;

/// <summary>Adds a tenant (operators): every field is required, the name is unique.</summary>
public sealed class CreateTenant(DmsDbContext db, AuditTrail audit, TimeProvider time)
{
    public async Task<Outcome<Tenant>> HandleAsync(TenantChanges request, CancellationToken cancellationToken)
    {
        if (request.Name is null || request.Plan is null || request.StorageQuotaBytes is null || request.RetentionDays is null)
        {
            return Error.Invalid("tenant", "name, plan, storageQuotaBytes and retentionDays are all required.");
        }

        var tenant = new Tenant { Id = Guid.NewGuid(), Name = "", Plan = "", CreatedAt = time.GetUtcNow() };
        if (tenant.Apply(request) is { } invalid)
        {
            return invalid;
        }

        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        db.Tenants.Add(tenant);
        audit.Changed(tenant.Id, AuditActions.TenantCreated, details: new { tenant.Name, tenant.Plan, tenant.StorageQuotaBytes, tenant.RetentionDays });
        if (await db.SaveTenantAsync(tenant, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        await transaction.CommitAsync(cancellationToken);
        return tenant;
    }
}
