namespace Dms.Tenants;

/// <summary>An organisation using Dms: its documents, quota and retention are its own.</summary>
public sealed class Tenant
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Plan { get; set; }
    public long StorageQuotaBytes { get; set; }

    /// <summary>Bytes stored or reserved by uploads in progress, over every version; never above the quota.</summary>
    public long UsedBytes { get; set; }

    /// <summary>How long a soft-deleted document stays restorable before it is purged.</summary>
    public int RetentionDays { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
