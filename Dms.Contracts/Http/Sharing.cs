namespace Dms.Contracts.Http;

/// <summary>A new share link: when it stops working (required; the plan says how far ahead), an optional password and number of downloads.</summary>
public sealed record ShareLinkRequest(DateTimeOffset? ExpiresAt, string? Password = null, int? MaxDownloads = null);

/// <param name="Token">Only in the answer that creates it: the link is <c>/s/{token}</c> on the web app, and is never shown again.</param>
/// <param name="Status"><c>active</c>, or why it no longer works: <c>expired</c>, <c>revoked</c>, <c>used_up</c>.</param>
/// <param name="DocumentId">The document shared; null for a view's link.</param>
/// <param name="ViewId">The saved view shared; null for a document's link.</param>
public sealed record ShareLinkResponse(
    Guid Id, Guid? DocumentId, Guid? ViewId, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, bool HasPassword, int? MaxDownloads, int Downloads,
    int Opens, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, string? RevokedBy, string Status, string? Token = null);

/// <summary>
/// What a share link shows whoever has it: no tenant, no history. A document's link shows <see cref="Document"/>; a
/// saved view's, <see cref="View"/>: a page of the documents it shows now.
/// </summary>
/// <param name="DownloadsLeft">How many downloads the link has left (across a view's documents); null for no limit.</param>
public sealed record SharedResponse(DateTimeOffset ExpiresAt, int? DownloadsLeft, SharedDocument? Document = null, SharedView? View = null);

/// <summary>A shared document: what it is and how many of its pages have images.</summary>
/// <param name="Pages">Page images to show (none for a type that has none, or before the scan passed it).</param>
/// <param name="Id">Only in a view: what names the document in the link's routes (<c>documents/{id}/…</c>).</param>
public sealed record SharedDocument(string Title, string FileName, string ContentType, long SizeBytes, int Pages, Guid? Id = null);

/// <summary>A shared view: its name and a page of its documents (ready, restricted to no one, in the view's order).</summary>
/// <param name="NextCursor">Asks for the next page (<c>?cursor=</c>); null on the last.</param>
public sealed record SharedView(string Name, IReadOnlyList<SharedDocument> Documents, string? NextCursor);

/// <summary>What a link shares: a document, or a saved view (<see cref="IsView"/>).</summary>
public readonly record struct ShareTarget(Guid Id, bool IsView)
{
    public static ShareTarget Document(Guid id) => new(id, false);

    public static ShareTarget View(Guid id) => new(id, true);

    /// <summary>Where its links are listed, created and revoked.</summary>
    public string LinksPath => $"/api/v1/{(IsView ? "saved-views" : "documents")}/{Id}/share-links";
}

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
