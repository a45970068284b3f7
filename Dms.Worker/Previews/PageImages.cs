using Dms.Common;
using Dms.Documents;
using Dms.Persistence;
using Dms.Previews;
using Dms.Queue;
using Dms.Storage;
using Dms.Worker.Tools;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Previews;

/// <summary>
/// A job for page images a reader asked for (<see cref="JobMessage.PagesFrom"/>): renders that block of pages of the
/// version and stores them beside the pipeline's, under the same budgets, and records the outcome on the block's
/// <see cref="PageRendering"/>: rendered, or the reason it cannot be (then readers are told at once, and it is never
/// queued again for this version). A block already rendered or refused is not rendered again. Only for the
/// current, clean version of a ready PDF. It changes nothing about the document and counts in no processing figure.
/// </summary>
public sealed partial class PageImages(
    DmsDbContext db, VersionDownload download, PreviewRenderer renderer, IBlobStore blobs, TimeProvider time,
    ILogger<PageImages> logger)
{
    /// <param name="workFolder">Where the worker keeps its jobs' files (<c>Dms:Processing:WorkFolder</c>).</param>
    public async Task RenderAsync(JobMessage job, int from, string workFolder, CancellationToken cancellationToken)
    {
        DocumentVersion? version;
        await using (var transaction = await db.BeginTenantTransactionAsync(job.TenantId, cancellationToken))
        {
            // A block already rendered, or refused, is not rendered again (a job delivered twice).
            if (await Block(job, from).AnyAsync(r => r.RenderedAt != null || r.FailureReason != null, cancellationToken))
            {
                return;
            }

            version = await db.DocumentVersions.AsNoTracking()
                .Where(v => v.DocumentId == job.DocumentId && v.Version == job.Version && v.ContentType == ContentTypes.Pdf)
                .Where(v => db.Documents.Any(d => d.Id == v.DocumentId && d.CurrentVersion == v.Version && d.Status == DocumentStatus.Ready))
                .SingleOrDefaultAsync(cancellationToken);
            await Block(job, from).ExecuteUpdateAsync(set => set.SetProperty(r => r.Attempts, r => r.Attempts + 1), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (version is null || version.RefusesReading() is not null)
        {
            // Not the current, ready, readable version now (a reprocess, a new version): the block may be asked for again.
            await using var transaction = await db.BeginTenantTransactionAsync(job.TenantId, cancellationToken);
            await Block(job, from).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return;
        }

        var folder = Path.Combine(workFolder, $"{job.DocumentId:N}-v{job.Version}-pages-{from}-{Guid.NewGuid():N}");
        OwnerOnly.CreateFolder(folder);
        try
        {
            var file = Path.Combine(folder, "content");
            await download.CopyAsync(version, file, cancellationToken);
            foreach (var (page, path) in await renderer.RenderPagesAsync(file, from, Path.Combine(folder, "preview"), cancellationToken))
            {
                await using var image = File.OpenRead(path);
                await blobs.PutAsync(BlobKeys.ForPreview(job.TenantId, job.DocumentId, job.Version, page), image, OpenPreview.ContentType, cancellationToken);
            }

            await RecordAsync(job, from, rendered: true, null, cancellationToken);
        }
        catch (UnreadableContentException e)
        {
            LogNotRendered(logger, from, job.DocumentId, e.Message);
            await RecordAsync(job, from, rendered: false, e.Message, cancellationToken);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private IQueryable<PageRendering> Block(JobMessage job, int from) =>
        db.PageRenderings.Where(r => r.DocumentId == job.DocumentId && r.Version == job.Version && r.PagesFrom == from);

    /// <summary>The block's outcome, for the readers who ask next: rendered, or why not (for good, for this version).</summary>
    private async Task RecordAsync(JobMessage job, int from, bool rendered, string? failure, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(job.TenantId, cancellationToken);
        if (rendered)
        {
            var now = time.GetUtcNow();
            await Block(job, from).ExecuteUpdateAsync(set => set.SetProperty(r => r.RenderedAt, now), cancellationToken);
        }
        else
        {
            await Block(job, from).ExecuteUpdateAsync(set => set.SetProperty(r => r.FailureReason, failure), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Page images from page {from} of document {documentId} were not rendered: {reason}")]
    private static partial void LogNotRendered(ILogger logger, int from, Guid documentId, string reason);
}
