namespace Dms.Contracts.Http;

/// <summary>What a grant lets its user or group do with a document (<c>access</c>).</summary>
public static class GrantAccess
{
    /// <summary>See it, its text, pages and versions, and download it.</summary>
    public const string View = "view";

    /// <summary>Change it as well: describe it, add versions, trash and restore it.</summary>
    public const string Edit = "edit";

    public static readonly string[] All = [View, Edit];
}

/// <summary>A new group, or a group's new name.</summary>
public sealed record GroupRequest(string? Name);

/// <summary>A user to add to a group, by the subject <c>GET /api/v1/tenant/users</c> lists.</summary>
public sealed record GroupMemberRequest(string? UserId);

/// <summary>A member of a group: their subject and, when the directory has them, their e-mail address.</summary>
public sealed record GroupMemberItem(string UserId, string? Name);

public sealed record GroupResponse(Guid Id, string Name, DateTimeOffset CreatedAt, IReadOnlyList<GroupMemberItem> Members);

/// <summary>A document shown to a user (<c>userId</c>) or a group (<c>groupId</c>), one of the two; <c>name</c> in answers only.</summary>
public sealed record GrantItem(string? UserId, Guid? GroupId, string Access, string? Name = null);

/// <summary>
/// Who owns a document (a user or a group; neither: the owner stays) and who else may see or change it (the grants
/// replace its grants). With no grants, the whole tenant sees it; with grants, only its owner, its grantees and the
/// tenant's admins do.
/// </summary>
public sealed record PermissionsRequest(string? OwnerUserId = null, Guid? OwnerGroupId = null, IReadOnlyList<GrantItem>? Grants = null);

/// <param name="MayManage">Whether the caller may change these (the owner, or an admin).</param>
/// <param name="MayEdit">Whether the caller may change the document.</param>
public sealed record PermissionsResponse(
    Guid DocumentId, string? OwnerUserId, Guid? OwnerGroupId, string? OwnerName, bool Restricted, IReadOnlyList<GrantItem> Grants, bool MayManage, bool MayEdit);
