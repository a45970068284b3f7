namespace Dms.Permissions;

/// <summary>
/// A document shown to a user or a group (one of the two), to read only or to change as well. A document with at
/// least one grant is restricted: besides tenant admins, only its owner and its grantees see it (the policy
/// <c>document_access</c> of row-level security).
/// </summary>
public sealed class DocumentGrant
{
    public const string View = "view";
    public const string Edit = "edit";

    /// <summary>The most grants a document carries.</summary>
    public const int MaxGrants = 100;

    public Guid TenantId { get; init; }
    public Guid DocumentId { get; init; }
    public string? UserId { get; init; }
    public Guid? GroupId { get; init; }
    public string Access { get; init; } = View;
    public DateTimeOffset GrantedAt { get; init; }
}
