namespace Dms.Contracts.Http;

/// <summary>A new share link: when it stops working (required; the plan says how far ahead), an optional password and number of downloads.</summary>
public sealed record ShareLinkRequest(DateTimeOffset? ExpiresAt, string? Password = null, int? MaxDownloads = null);

/// <param name="Token">Only in the answer that creates it: the link is <c>/s/{token}</c> on the web app, and is never shown again.</param>
/// <param name="Status"><c>active</c>, or why it no longer works: <c>expired</c>, <c>revoked</c>, <c>used_up</c>.</param>
public sealed record ShareLinkResponse(
    Guid Id, Guid DocumentId, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, bool HasPassword, int? MaxDownloads, int Downloads,
    int Opens, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, string? RevokedBy, string Status, string? Token = null);

/// <summary>A shared document as whoever has the link sees it: no tenant, no id, no history.</summary>
/// <param name="Pages">Page images to show (none for a type that has none, or before the scan passed it).</param>
public sealed record SharedDocumentResponse(
    string Title, string FileName, string ContentType, long SizeBytes, int Pages, DateTimeOffset ExpiresAt, int? DownloadsLeft);

/// <summary>The names of share links' states (<see cref="ShareLinkResponse.Status"/>) and the header a link's password goes in.</summary>
public static class ShareLinks
{
    public const string Active = "active";
    public const string Expired = "expired";
    public const string Revoked = "revoked";
    public const string UsedUp = "used_up";

    /// <summary>The request header that carries a link's password.</summary>
    public const string PasswordHeader = "X-Share-Password";
}
