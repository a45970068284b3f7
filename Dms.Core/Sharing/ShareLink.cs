using Dms.Contracts.Http;
using System.Security.Cryptography;

namespace Dms.Sharing;

/// <summary>
/// A link that shows one document to anyone who has it, without an account: its page images and the download of its
/// clean current version; or a saved view's documents (<see cref="ViewId"/>): those the view keeps when the link is
/// opened that are ready and restricted to no one, each with its pages and download. It expires (always), may ask for
/// a password and may allow a number of downloads (across a view's documents, one count); it can be revoked. Its
/// token is random and only its SHA-256 is kept, so the table leaks no working link.
/// </summary>
public sealed class ShareLink
{
    /// <summary>The most links a document, or a view, has that still work.</summary>
    public const int MaxOpenPerTarget = 50;

    public const int MaxPasswordLength = 200;

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    /// <summary>The document shared; null for a view's link.</summary>
    public Guid? DocumentId { get; private set; }

    /// <summary>
    /// The saved view shared; null for a document's link. Not a foreign key: a view removed leaves its links, which
    /// then answer that it is gone, for the record of what was shared.
    /// </summary>
    public Guid? ViewId { get; private set; }
    public byte[] TokenHash { get; private set; } = [];
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>PBKDF2 of the password, with its salt and cost (<see cref="SharePasswords"/>); null when none is asked.</summary>
    public string? PasswordHash { get; private set; }
    public int? MaxDownloads { get; private set; }
    public int Downloads { get; private set; }
    public int Opens { get; private set; }
    public DateTimeOffset? LastUsedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public string? RevokedBy { get; private set; }

    /// <summary>A new link and its token, which is shown once and never stored.</summary>
    /// <param name="shared">What is shared: a document, or a saved view.</param>
    public static (ShareLink Link, string Token) Create(
        Guid tenantId, ShareTarget shared, string createdBy, DateTimeOffset expiresAt, string? password, int? maxDownloads, DateTimeOffset now)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (new ShareLink
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            DocumentId = shared.IsView ? null : shared.Id,
            ViewId = shared.IsView ? shared.Id : null,
            TokenHash = HashOf(token),
            CreatedBy = createdBy,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            PasswordHash = string.IsNullOrEmpty(password) ? null : SharePasswords.Hash(password),
            MaxDownloads = maxDownloads,
        }, token);
    }

    /// <summary>The links of a document, or of a view.</summary>
    public static System.Linq.Expressions.Expression<Func<ShareLink, bool>> Of(ShareTarget target) =>
        target.IsView ? l => l.ViewId == target.Id : l => l.DocumentId == target.Id;

    public static byte[] HashOf(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    /// <summary>Why the link no longer works, in the words of whoever opens it; null while it does.</summary>
    public string? Spent(DateTimeOffset now) =>
        RevokedAt is not null ? "This link was revoked by whoever shared it."
        : ExpiresAt <= now ? "This link has expired."
        : MaxDownloads is { } most && Downloads >= most ? "This link has been used up: its downloads are all taken."
        : null;

    public void Revoke(string by, DateTimeOffset now)
    {
        RevokedAt = now;
        RevokedBy = by;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
