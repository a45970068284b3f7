using Dms.Audit;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Documents;
using Dms.Documents.Queries;
using Dms.Persistence;
using Dms.Previews;
using Microsoft.EntityFrameworkCore;

namespace Dms.Sharing;

/// <summary>
/// What someone without an account does with a share link: open it (the document's title, type, size and pages),
/// look at a page's image, download the clean current version. The link is found by its token's hash across tenants,
/// then everything is read in its document's tenant as the link (<see cref="AuditActor.ShareLinkKind"/>), so every
/// use is in the document's history. A link that is unknown is a 404; expired, revoked, used up or of a trashed
/// document a 410; one with a password, a 403 until the password is given. Downloads are counted atomically: a link
/// for one download serves one, however many ask at once.
/// </summary>
public sealed class UseShareLink(DmsDbContext db, AuditContext context, AuditTrail audit, OpenContent content, OpenPreview preview, TimeProvider time)
{
    /// <summary>The longest token looked up: longer is no token of Dms's.</summary>
    private const int MaxTokenLength = 100;

    public sealed record Visitor(string? ClientAddress, string? UserAgent);

    public sealed record Shared(ShareLink Link, Document Document, int Pages);

    public async Task<Outcome<Shared>> OpenAsync(string token, string? password, Visitor visitor, CancellationToken cancellationToken)
    {
        var found = await ResolveAsync(token, password, visitor, cancellationToken);
        if (found.Error is { } refused)
        {
            return refused;
        }

        var (link, document, pages) = found.Value!;
        await using (var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken))
        {
            var now = time.GetUtcNow();
            await db.ShareLinks.Where(l => l.Id == link.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(l => l.Opens, l => l.Opens + 1).SetProperty(l => l.LastUsedAt, now), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await audit.ReadAsync(link.TenantId, AuditActions.ShareOpened, document.Id, found, document.CurrentVersion, new { linkId = link.Id });
        return found;
    }

    public async Task<Outcome<PreviewImage>> PageAsync(string token, string? password, int page, Visitor visitor, CancellationToken cancellationToken)
    {
        var found = await ResolveAsync(token, password, visitor, cancellationToken);
        return found.Error is { } refused ? refused : await preview.HandleAsync(found.Value!.Link.TenantId, found.Value.Document.Id, page, cancellationToken);
    }

    /// <summary>
    /// The current version's bytes, once its scan passed them. One of the link's downloads is taken first, atomically,
    /// and given back when the bytes cannot be given: the history records only downloads that happened.
    /// </summary>
    public async Task<Outcome<VersionContent>> DownloadAsync(string token, string? password, Visitor visitor, CancellationToken cancellationToken)
    {
        var found = await ResolveAsync(token, password, visitor, cancellationToken);
        if (found.Error is { } refused)
        {
            return refused;
        }

        var link = found.Value!.Link;
        if (await CountDownloadAsync(link.Id, +1, cancellationToken) == 0)
        {
            return Spent("This link has been used up: its downloads are all taken.");
        }

        var opened = await content.HandleAsync(link.TenantId, link.DocumentId, null, cancellationToken);
        if (opened.Error is not null)
        {
            await CountDownloadAsync(link.Id, -1, cancellationToken);
        }

        return opened;
    }

    /// <summary>Takes one of the link's downloads while it still works (+1), or gives one back (-1); how many rows changed.</summary>
    private async Task<int> CountDownloadAsync(Guid linkId, int step, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var links = db.ShareLinks.Where(l => l.Id == linkId);
        var changed = step > 0
            ? await links.Where(l => l.RevokedAt == null && l.ExpiresAt > now && (l.MaxDownloads == null || l.Downloads < l.MaxDownloads))
                .ExecuteUpdateAsync(set => set.SetProperty(l => l.Downloads, l => l.Downloads + 1).SetProperty(l => l.LastUsedAt, now), cancellationToken)
            : await links.Where(l => l.Downloads > 0).ExecuteUpdateAsync(set => set.SetProperty(l => l.Downloads, l => l.Downloads - 1), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    private async Task<Outcome<Shared>> ResolveAsync(string token, string? password, Visitor visitor, CancellationToken cancellationToken)
    {
        if (token.Length is 0 or > MaxTokenLength)
        {
            return Error.NotFound("The link");
        }

        var hash = ShareLink.HashOf(token);
        ShareLink? link;
        Document? document = null;
        var pages = 0;
        await using (var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken))
        {
            link = await db.ShareLinks.AsNoTracking().SingleOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
            if (link is not null)
            {
                document = await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == link.DocumentId, cancellationToken);
                pages = document is null ? 0 : await db.DocumentTexts.Where(t => t.DocumentId == document.Id && t.Version == document.CurrentVersion)
                    .Select(t => t.Pages).SingleOrDefaultAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        if (link is null)
        {
            return Error.NotFound("The link");
        }

        context.Actor = new AuditActor(AuditActor.ShareLinkKind, link.Id.ToString(), "someone with a share link", visitor.ClientAddress,
            AuditActor.CleanUserAgent(visitor.UserAgent));
        if (link.Spent(time.GetUtcNow()) is { } spent)
        {
            return Spent(spent);
        }

        if (document is null || document.Status == DocumentStatus.Deleted)
        {
            return Spent("The shared document was moved to the trash.");
        }

        if (link.PasswordHash is { } stored && !SharePasswords.Matches(stored, password))
        {
            return password is null
                ? new Error(ErrorKind.Forbidden, "share-password-required", "This link asks for a password.")
                : new Error(ErrorKind.Forbidden, "share-password-wrong", "That is not the link's password.");
        }

        return new Shared(link, document, pages);
    }

    private static Error Spent(string why) => new(ErrorKind.Gone, "share-link-spent", why);
}
