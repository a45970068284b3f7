using Dms.Common;
using Dms.Persistence;
using Dms.Processing;
using Dms.Storage;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

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
/// first asked for: this queues a job for its block of <see cref="PagesPerRendering"/> pages, in the tenant's line
/// like any other, and answers <see cref="PreviewImage.Rendering"/> until the image is stored.
/// </summary>
public sealed class OpenPreview(DmsDbContext db, DocumentReads reads, IBlobStore blobs, TimeProvider time)
{
    public const string ContentType = "image/png";

    /// <summary>Pages rendered by one job: the block holding a page asked for.</summary>
    public const int PagesPerRendering = 10;

    /// <summary>The last page that gets an image: past it, the download has the rest.</summary>
    public const int MaxPage = 1000;

    public Task<Outcome<PreviewImage>> HandleAsync(Guid tenantId, Guid documentId, int page, CancellationToken cancellationToken) =>
        reads.ReadAsync<PreviewImage>(tenantId, documentId, async document =>
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

            var key = BlobKeys.ForPreview(tenantId, documentId, document.CurrentVersion, page);
            if (current is not null && await blobs.GetAsync(key, cancellationToken) is { } stored)
            {
                var content = await blobs.OpenReadAsync(key, null, cancellationToken);
                return new PreviewImage(content, $"\"{documentId:N}-v{document.CurrentVersion}-p{page}-{stored.SizeBytes}\"");
            }

            return current is not null && document.Status == DocumentStatus.Ready && await AskForPageAsync(current, page, cancellationToken)
                ? PreviewImage.Rendering
                : NoImage(page);
        }, cancellationToken);

    private static Error NoImage(int page) => Error.NotFound(page == 0 ? "A thumbnail of the document" : $"An image of page {page} of the document");

    /// <summary>
    /// Queues the rendering of the block of pages holding <paramref name="page"/>, unless a job for it waits already;
    /// false when the page gets no image: not a PDF, past the pages there are, or a version the pipeline could not
    /// make a thumbnail of.
    /// </summary>
    private async Task<bool> AskForPageAsync(DocumentVersion version, int page, CancellationToken cancellationToken)
    {
        if (page < 1 || version.ContentType != System.Net.Mime.MediaTypeNames.Application.Pdf
            || !await db.DocumentTexts.AnyAsync(t => t.DocumentId == version.DocumentId && t.Version == version.Version && t.Pages >= page, cancellationToken)
            || await blobs.GetAsync(BlobKeys.ForPreview(version.TenantId, version.DocumentId, version.Version, 0), cancellationToken) is null)
        {
            return false;
        }

        var from = (page - 1) / PagesPerRendering * PagesPerRendering + 1;
        await using var transaction = await db.BeginTenantTransactionAsync(version.TenantId, cancellationToken);
        if (!await db.ProcessingJobs.AnyAsync(
                j => j.DocumentId == version.DocumentId && j.Version == version.Version && j.PagesFrom == from && j.DeadLetteredAt == null, cancellationToken))
        {
            db.ProcessingJobs.Add(ProcessingJob.ForPages(version.TenantId, version.DocumentId, version.Version, from, time.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return true;
    }
}
