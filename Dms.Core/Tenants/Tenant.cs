using Dms.Common;

namespace Dms.Tenants;

/// <summary>An organisation using Dms: its documents, quota and retention are its own.</summary>
public sealed class Tenant
{
    public const int MaxRetentionDays = 3650;

    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Plan { get; set; }
    public long StorageQuotaBytes { get; set; }

    /// <summary>Bytes stored or reserved by uploads in progress, over every version; never above the quota.</summary>
    public long UsedBytes { get; set; }

    /// <summary>How long a soft-deleted document stays restorable before it is purged.</summary>
    public int RetentionDays { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Takes the changes given (null: unchanged), trimmed; says why the tenant would then be invalid, or null.</summary>
    public Error? Apply(TenantChanges changes)
    {
        Name = changes.Name?.Trim() ?? Name;
        Plan = changes.Plan?.Trim() ?? Plan;
        StorageQuotaBytes = changes.StorageQuotaBytes ?? StorageQuotaBytes;
        RetentionDays = changes.RetentionDays ?? RetentionDays;
        return this switch
        {
            { Name.Length: 0 or > 200 } => Error.Invalid("name", "name must be 1 to 200 characters."),
            _ when Name.Any(char.IsControl) => Error.Invalid("name", "name must not contain control characters."),
            { Plan.Length: 0 or > 50 } => Error.Invalid("plan", "plan must be 1 to 50 characters."),
            { StorageQuotaBytes: < 0 } => Error.Invalid("storage-quota", "storageQuotaBytes must not be negative."),
            { RetentionDays: < 0 or > MaxRetentionDays } => Error.Invalid("retention", $"retentionDays must be 0 to {MaxRetentionDays}."),
            _ => null,
        };
    }
}

/// <summary>A tenant's name, plan, quota and retention as an operator sets them (null: unchanged).</summary>
public sealed record TenantChanges(string? Name, string? Plan, long? StorageQuotaBytes, int? RetentionDays);
