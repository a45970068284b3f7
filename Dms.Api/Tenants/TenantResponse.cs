using Dms.Tenants;

namespace Dms.Api.Tenants;

public sealed record TenantResponse(Guid Id, string Name, string Plan, long StorageQuotaBytes, long UsedBytes, int RetentionDays, DateTimeOffset CreatedAt)
{
    public static TenantResponse From(Tenant tenant) =>
        new(tenant.Id, tenant.Name, tenant.Plan, tenant.StorageQuotaBytes, tenant.UsedBytes, tenant.RetentionDays, tenant.CreatedAt);
}

/// <summary>The caller's own tenant with what it stores.</summary>
public sealed record OwnTenantResponse(TenantResponse Tenant, TenantUsage Usage);
