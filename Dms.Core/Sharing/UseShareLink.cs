using Dms.Audit;
using Dms.Common;
using Dms.Contracts;
using Dms.Contracts.Http;
using Dms.Documents;
using Dms.Documents.Queries;
using Dms.Persistence;
using Dms.Previews;
using Dms.SavedViews;
using Microsoft.EntityFrameworkCore;

namespace Dms.Sharing;

/// <summary>
/// What someone without an account does with a share link: open it (the document's title, type, size and pages; or
/// the view's name and a page of its documents), look at a page's image, download the clean current version. The link
/// is found by its token's hash across tenants, then everything is read in its tenant as the link
/// (<see cref="AuditActor.ShareLinkKind"/>), so every use is in the documents' history. A view's link reads as no one
/// in particular (<see cref="DatabaseNames.NoViewer"/>): the database shows it only documents restricted to no one, of
/// which it lists the ready ones its view keeps now, and serves only those. A link that is unknown, or a document
/// that is not among the view's, is a 404; expired, revoked, used up, of a trashed document or of a removed view a
/// 410; one with a password, a 403 until the password is given. Downloads are counted atomically, one count across a
/// view's documents: a link for one download serves one, however many ask at once.
/// </summary>
public sealed class UseShareLink(
    DmsDbContext db, AuditContext context, AuditTrail audit, ListDocuments list, OpenContent content, OpenPreview preview, TimeProvider time)
{
    /// <summary>How many of a view's documents a page of the link lists.</summary>
    public const int ViewPageLength = DocumentQuery.DefaultLimit;

    /// <summary>The longest token looked up: longer is no token of Dms's.</summary>
    private const int MaxTokenLength = 100;

    public sealed record Visitor(string? ClientAddress, string? UserAgent);

    /// <summary>What a link shares: a document (with its pages), or a view.</summary>
    public sealed record Shared(ShareLink Link, Document? Document, int Pages, SavedView? View);

    /// <summary>A page of a view's documents, each with its number of pages, and the cursor of the next page.</summary>
    public sealed record ViewPage(IReadOnlyList<(Document Document, int Pages)> Documents, string? NextCursor);

    /// <param name="documentId">One of a view's documents to open (what it is and its pages); none for the link itself.</param>
    public async Task<Outcome<Shared>> OpenAsync(string token, string? password, Guid? documentId, Visitor visitor, CancellationToken cancellationToken)
    {
        var found = await ResolveAsync(token, password, visitor, cancellationToken);
        if (found.Value is { } linked && documentId is not null)
        {
            found = linked.View is not null ? await ViewDocumentAsync(linked, documentId, cancellationToken)
                : documentId == linked.Document!.Id ? found : Error.NotFound("The document");
        }

        if (found.Value is not { } shared)
        {
            return found;
        }

        await using (var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken))
        {
            var now = time.GetUtcNow();
            await db.ShareLinks.Where(l => l.Id == shared.Link.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(l => l.Opens, l => l.Opens + 1).SetProperty(l => l.LastUsedAt, now), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await audit.ReadAsync(shared.Link.TenantId, AuditActions.ShareOpened, shared.Document?.Id, found, shared.Document?.CurrentVersion,
            shared.View is { } view ? new { linkId = shared.Link.Id, viewId = view.Id } : new { linkId = shared.Link.Id });
        return found;
    }

    /// <summary>One of the documents a view's link shows now, with its number of pages.</summary>
    private async Task<Outcome<Shared>> ViewDocumentAsync(Shared shared, Guid? documentId, CancellationToken cancellationToken)
    {
        var shown = await ShownDocumentAsync(shared, documentId, cancellationToken);
        if (shown.Error is { } refused)
        {
            return refused;
        }

        using var scope = db.ReadAsTenant(shared.Link.TenantId);
        var document = await db.Documents.AsNoTracking().SingleAsync(d => d.Id == shown.Value, cancellationToken);
        var pages = await db.DocumentTexts.Where(t => t.DocumentId == document.Id && t.Version == document.CurrentVersion).Select(t => t.Pages).SingleOrDefaultAsync(cancellationToken);
        return shared with { Document = document, Pages = pages };
    }

    /// <summary>A page of the documents a view's link shows now, in the view's order.</summary>
    public async Task<Outcome<ViewPage>> ListAsync(Shared shared, string? cursor, CancellationToken cancellationToken)
    {
        if (shared.View is not { } view)
        {
            return Error.NotFound("The view");
        }

        var listed = await ReadyOfViewAsync(shared.Link.TenantId, view, cursor, ViewPageLength, null, cancellationToken);
        if (listed.Error is { } invalid)
        {
            return invalid;
        }

        var ids = listed.Value!.Documents.Select(d => d.Id).ToList();
        List<(Guid DocumentId, int Version, int Pages)> texts;
        using (db.ReadAsTenant(shared.Link.TenantId))
        {
            texts = (await db.DocumentTexts.Where(t => ids.Contains(t.DocumentId)).Select(t => new { t.DocumentId, t.Version, t.Pages }).ToListAsync(cancellationToken))
                .Select(t => (t.DocumentId, t.Version, t.Pages)).ToList();
        }

        return new ViewPage(
            [.. listed.Value.Documents.Select(d => (d, texts.Where(t => t.DocumentId == d.Id && t.Version == d.CurrentVersion).Select(t => t.Pages).FirstOrDefault()))],
            listed.Value.NextCursor);
    }

    /// <param name="documentId">For a view's link, which of its documents; none for a document's link.</param>
    public async Task<Outcome<PreviewImage>> PageAsync(string token, string? password, Guid? documentId, int page, Visitor visitor, CancellationToken cancellationToken)
    {
        var found = await ResolveAsync(token, password, visitor, cancellationToken);
        var shown = found.Error is null ? await ShownDocumentAsync(found.Value!, documentId, cancellationToken) : found.Error;
        return shown.Error is { } refused ? refused : await preview.HandleAsync(found.Value!.Link.TenantId, shown.Value, page, cancellationToken);
    }

    /// <summary>
    /// The current version's bytes, once its scan passed them. One of the link's downloads is taken first, atomically,
    /// and given back when the bytes cannot be given: the history records only downloads that happened.
    /// </summary>
    /// <param name="documentId">For a view's link, which of its documents; none for a document's link.</param>
    public async Task<Outcome<VersionContent>> DownloadAsync(string token, string? password, Guid? documentId, Visitor visitor, CancellationToken cancellationToken)
    {
        var found = await ResolveAsync(token, password, visitor, cancellationToken);
        var shown = found.Error is null ? await ShownDocumentAsync(found.Value!, documentId, cancellationToken) : found.Error;
        if (shown.Error is { } refused)
        {
            return refused;
        }

        var link = found.Value!.Link;
        if (await CountDownloadAsync(link.Id, +1, cancellationToken) == 0)
        {
            return Spent("This link has been used up: its downloads are all taken.");
        }

        var opened = await content.HandleAsync(link.TenantId, shown.Value, null, cancellationToken);
        if (opened.Error is not null)
        {
            await CountDownloadAsync(link.Id, -1, cancellationToken);
        }

        return opened;
    }

    /// <summary>
    /// The document a use of the link is for: the link's own, or one of those its view shows now (read as no one in
    /// particular from here on, so that what follows cannot read a restricted document either).
    /// </summary>
    private async Task<Outcome<Guid>> ShownDocumentAsync(Shared shared, Guid? documentId, CancellationToken cancellationToken)
    {
        if (shared.View is not { } view)
        {
            return documentId is null || documentId == shared.Document!.Id ? shared.Document!.Id : Error.NotFound("The document");
        }

        if (documentId is not { } id)
        {
            return Error.Invalid("document", "This link shares a view: name which of its documents.");
        }

        var listed = await ReadyOfViewAsync(shared.Link.TenantId, view, null, 1, [id], cancellationToken);
        return listed.Value is { Documents.Count: 1 } ? id : Error.NotFound("The document");
    }

    /// <summary>The ready documents a view keeps that are restricted to no one, as its link reads them.</summary>
    private async Task<Outcome<DocumentPage>> ReadyOfViewAsync(
        Guid tenantId, SavedView view, string? cursor, int limit, IReadOnlyList<Guid>? ids, CancellationToken cancellationToken)
    {
        db.Viewer = DatabaseNames.NoViewer;
        var ready = SnakeCaseNames<DocumentStatus>.ToName(DocumentStatus.Ready);
        return view.Filters.Status is null || view.Filters.Status == ready
            ? await list.HandleAsync(tenantId, view.Listing(ready, cursor, limit, ids), cancellationToken)
            : new DocumentPage([], null);
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
        SavedView? view = null;
        var pages = 0;
        await using (var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken))
        {
            link = await db.ShareLinks.AsNoTracking().SingleOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
            if (link?.ViewId is { } viewId)
            {
                view = await db.SavedViews.AsNoTracking().SingleOrDefaultAsync(v => v.Id == viewId, cancellationToken);
            }
            else if (link is not null)
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

        if (link.ViewId is not null && view is null)
        {
            return Spent("The shared view was removed.");
        }

        if (link.DocumentId is not null && (document is null || document.Status == DocumentStatus.Deleted))
        {
            return Spent("The shared document was moved to the trash.");
        }

        if (link.PasswordHash is { } stored && !SharePasswords.Matches(stored, password))
        {
            return password is null
                ? new Error(ErrorKind.Forbidden, "share-password-required", "This link asks for a password.")
                : new Error(ErrorKind.Forbidden, "share-password-wrong", "That is not the link's password.");
        }

        return new Shared(link, document, pages, view);
    }

    private static Error Spent(string why) => new(ErrorKind.Gone, "share-link-spent", why);
}
