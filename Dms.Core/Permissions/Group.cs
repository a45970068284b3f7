namespace Dms.Permissions;

/// <summary>A tenant's group of users, to own documents and be granted them in one go.</summary>
public sealed class Group
{
    public const int MaxName = 100;

    /// <summary>The most groups a tenant keeps, and the most members a group has.</summary>
    public const int MaxGroups = 500;
    public const int MaxMembers = 2000;

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    public static Group Create(Guid tenantId, string name, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), TenantId = tenantId, Name = name, CreatedAt = now };
}

/// <summary>A user in a group, by the subject their tokens carry.</summary>
public sealed class GroupMember
{
    public Guid TenantId { get; init; }
    public Guid GroupId { get; init; }
    public string UserId { get; init; } = "";
    public DateTimeOffset AddedAt { get; init; }
}
