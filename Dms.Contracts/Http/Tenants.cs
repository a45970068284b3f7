namespace Dms.Contracts.Http;

public sealed record TenantResponse(Guid Id, string Name, string Plan, long StorageQuotaBytes, long UsedBytes, int RetentionDays, DateTimeOffset CreatedAt);

/// <summary>A tenant's name, plan, quota and retention as an operator sets them (null: unchanged; all four to add one).</summary>
public sealed record TenantRequest(string? Name, string? Plan, long? StorageQuotaBytes, int? RetentionDays);

/// <summary>What a tenant stores, by status (the runbook's "check tenant storage usage").</summary>
public sealed record TenantUsageResponse(
    Guid TenantId, string Name, long StorageQuotaBytes, long UsedBytes, int Documents, IReadOnlyDictionary<string, StatusUsage> ByStatus);

/// <summary>Documents and bytes (of their current versions) in one status.</summary>
public sealed record StatusUsage(int Documents, long Bytes);

/// <summary>The caller's own tenant with what it stores.</summary>
public sealed record OwnTenantResponse(TenantResponse Tenant, TenantUsageResponse Usage);

/// <param name="Role">One of <see cref="Roles.InTenant"/>.</param>
public sealed record NewUserRequest(string? Email, string? Role);

/// <summary>A user just added (or reset), with the temporary password they replace at their next sign-in.</summary>
public sealed record NewUserResponse(string Username, Guid TenantId, string Role, string TemporaryPassword);

/// <summary>A user of a tenant as the identity provider lists them.</summary>
public sealed record UserResponse(string Username, string Subject, Guid TenantId, string Role, bool Enabled, bool MustChangePassword, DateTimeOffset CreatedAt);
