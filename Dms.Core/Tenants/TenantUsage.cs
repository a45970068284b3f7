namespace Dms.Tenants;

/// <summary>What a tenant stores: the runbook's "check tenant storage usage".</summary>
public sealed record TenantUsage(
    Guid TenantId,
    string Name,
    long StorageQuotaBytes,
    long UsedBytes,
    int Documents,
    IReadOnlyDictionary<string, StatusUsage> ByStatus);

/// <summary>Documents and bytes (of their current versions) in one status.</summary>
public sealed record StatusUsage(int Documents, long Bytes);
