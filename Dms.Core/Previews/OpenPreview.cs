using Dms.Contracts.Http;
using Dms.Common;
using Dms.Documents;
using Dms.Documents.Queries;
using Dms.Persistence;
using Dms.Processing;
using Dms.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.Previews;

/// <summary>A preview image of a version, with an entity tag that changes when the image does; or, while it is being rendered, neither.</summary>
public sealed record PreviewImage(Stream? Content, string? ETag)
{
    /// <summary>The image was asked for and is being rendered: ask again in a moment.</summary>
    public static readonly PreviewImage Rendering = new(null, null);
}

/// <summary>
/// The current version's thumbnail (page 0) or the image of one of its pages, only once the malware scan passed the
/// version, never for a quarantined or unscanned one. The pipeline's preview step makes the thumbnail (and an
/// image's one page); a PDF's page (up to <see cref="MaxPage"/> and the pages its text has) is rendered when it is
/// first asked for: this records its block of <see cref="PagesPerRendering"/> pages (<see cref="PageRendering"/>)
/// and queues its job in the same transaction, once, and answers <see cref="PreviewImage.Rendering"/> until the image
/// is stored. A block that could not be rendered is a 404 with the reason at once; a tenant with
/// <see cref="DocumentOptions.MaxPendingPageRenderings"/> blocks waiting is asked to come back before another is queued.
/// </summary>
public sealed class OpenPreview(DmsDbContext db, DocumentReads reads, IBlobStore blobs, IOptions<DocumentOptions> options, TimeProvider time)
{
    public const string ContentType = "image/png";

    /// <summary>Pages rendered by one job: the block holding a page asked for.</summary>
    public const int PagesPerRendering = 10;

    /// <summary>The last page that gets an image: past it, the download has the rest.</summary>
    public const int MaxPage = Dms.Contracts.Http.ApiLimits.MaxPreviewPage;

    public Task<Outcome<PreviewImage>> HandleAsync(Guid tenantId, Guid documentId, int page, CancellationToken cancellationToken) =>
        reads.ReadAsync<PreviewImage>(tenantId, documentId, page == 0 ? null : AuditActions.PageRead, async document =>
        {
            if (document.Status == DocumentStatus.Deleted)
            {
                return DocumentErrors.InTrash;
            }

            // Past the last page that gets an image there is nothing to look for: storage is not asked.
            if (page > MaxPage)
            {
                return NoImage(page);
            }

            var current = await db.DocumentVersions.AsNoTracking()
                .SingleOrDefaultAsync(v => v.DocumentId == documentId && v.Version == document.CurrentVersion && v.CompletedAt != null, cancellationToken);
            if (current?.RefusesReading() is { } refused)
            {
                return refused;
            }

            if (current is not null && await StoredAsync(current, page, cancellationToken) is { } stored)
            {
                return stored;
            }

            return current is not null && document.Status == DocumentStatus.Ready
                ? await AskForPageAsync(current, page, cancellationToken)
                : NoImage(page);
        }, cancellationToken, details: page == 0 ? null : new { page });

    /// <summary>The page's image if storage has it.</summary>
    private async Task<PreviewImage?> StoredAsync(DocumentVersion version, int page, CancellationToken cancellationToken)
    {
        var key = BlobKeys.ForPreview(version.TenantId, version.DocumentId, version.Version, page);
        if (await blobs.GetAsync(key, cancellationToken) is not { } stored)
        {
            return null;
        }

        var content = await blobs.OpenReadAsync(key, null, cancellationToken);
        return new PreviewImage(content, $"\"{version.DocumentId:N}-v{version.Version}-p{page}-{stored.SizeBytes}\"");
    }

    private static Error NoImage(int page) => Error.NotFound(page == 0 ? "A thumbnail of the document" : $"An image of page {page} of the document");

    /// <summary>
    /// The block of pages holding <paramref name="page"/>: being rendered (queued now, once, if it never was), or why it
    /// gets no image: not a PDF, past the pages there are, a version the pipeline could not make a thumbnail of, or a
    /// block whose rendering failed.
    /// </summary>
    private async Task<Outcome<PreviewImage>> AskForPageAsync(DocumentVersion version, int page, CancellationToken cancellationToken)
    {
        if (page < 1 || version.ContentType != System.Net.Mime.MediaTypeNames.Application.Pdf
            || !await db.DocumentTexts.AnyAsync(t => t.DocumentId == version.DocumentId && t.Version == version.Version && t.Pages >= page, cancellationToken)
            || await blobs.GetAsync(BlobKeys.ForPreview(version.TenantId, version.DocumentId, version.Version, 0), cancellationToken) is null)
        {
            return NoImage(page);
        }

        var from = (page - 1) / PagesPerRendering * PagesPerRendering + 1;
        var asked = await db.PageRenderings.AsNoTracking()
            .SingleOrDefaultAsync(r => r.DocumentId == version.DocumentId && r.Version == version.Version && r.PagesFrom == from, cancellationToken);
        switch (asked)
        {
            case { FailureReason: { } reason }:
                return new Error(ErrorKind.NotFound, "page-not-rendered", $"An image of page {page} could not be made: {reason}");
            case { RenderedAt: not null }:
                // Rendered: the worker stores the images before it records the block, so one stored since storage was
                // looked in above is there now; if not, this page was not among the images (past the last).
                return await StoredAsync(version, page, cancellationToken) is { } stored ? stored : NoImage(page);
            case not null:
                return PreviewImage.Rendering;
        }

        // Queued now, or (the tenant having its most blocks waiting) when the reader asks again.
        await QueueAsync(version, from, cancellationToken);
        return PreviewImage.Rendering;
    }

    /// <summary>
    /// Records the block and queues its job in one transaction, unless the tenant has its most blocks waiting already.
    /// Two requests racing for the same block: the key lets one row in, the other finds it queued.
    /// </summary>
    private async Task QueueAsync(DocumentVersion version, int from, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(version.TenantId, cancellationToken);
        await db.LockAsync(TenantLock.PageRenderings, version.TenantId, cancellationToken);
        var waiting = await db.PageRenderings.CountAsync(r => r.TenantId == version.TenantId && r.RenderedAt == null && r.FailureReason == null, cancellationToken);
        if (waiting >= options.Value.MaxPendingPageRenderings)
        {
            return;
        }

        var now = time.GetUtcNow();
        db.PageRenderings.Add(new PageRendering { TenantId = version.TenantId, DocumentId = version.DocumentId, Version = version.Version, PagesFrom = from, RequestedAt = now });
        db.ProcessingJobs.Add(ProcessingJob.ForPages(version.TenantId, version.DocumentId, version.Version, from, now));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // The other request queued it.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
