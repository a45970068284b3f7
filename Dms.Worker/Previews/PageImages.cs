using Dms.Common;
using Dms.Documents;
using Dms.Persistence;
using Dms.Queue;
using Dms.Storage;
using Dms.Worker.Extraction;
using Dms.Worker.Processing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Previews;

/// <summary>
/// A job for page images a reader asked for (<see cref="JobMessage.PagesFrom"/>): renders that block of pages of the
/// version and stores them beside the pipeline's, under the same budgets. Only for the current, clean version of a
/// ready PDF; otherwise, or when the pages cannot be rendered, there is nothing to store and the reader keeps being
/// told the page is not there. It changes nothing about the document and counts in no processing figure.
/// </summary>
public sealed partial class PageImages(
    DmsDbContext db, VersionDownload download, PreviewRenderer renderer, IBlobStore blobs, IOptions<ProcessingOptions> options, ILogger<PageImages> logger)
{
    public async Task RenderAsync(JobMessage job, int from, CancellationToken cancellationToken)
    {
        DocumentVersion? version;
        await using (await db.BeginTenantTransactionAsync(job.TenantId, cancellationToken))
        {
            version = await db.DocumentVersions.AsNoTracking()
                .Where(v => v.DocumentId == job.DocumentId && v.Version == job.Version && v.ContentType == ContentTypes.Pdf)
                .Where(v => db.Documents.Any(d => d.Id == v.DocumentId && d.CurrentVersion == v.Version && d.Status == DocumentStatus.Ready))
                .SingleOrDefaultAsync(cancellationToken);
        }

        if (version is null || version.RefusesReading() is not null)
        {
            return;
        }

        var folder = Path.Combine(options.Value.WorkFolder, $"{job.DocumentId:N}-v{job.Version}-pages-{from}-{Guid.NewGuid():N}");
        OwnerOnly.CreateFolder(folder);
        try
        {
            var file = Path.Combine(folder, "content");
            await download.CopyAsync(version, file, cancellationToken);
            foreach (var (page, path) in await renderer.RenderPagesAsync(file, from, Path.Combine(folder, "preview"), cancellationToken))
            {
                await using var image = File.OpenRead(path);
                await blobs.PutAsync(BlobKeys.ForPreview(job.TenantId, job.DocumentId, job.Version, page), image, Documents.Queries.OpenPreview.ContentType, cancellationToken);
            }
        }
        catch (UnreadableContentException e)
        {
            LogNotRendered(logger, from, job.DocumentId, e.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Page images from page {from} of document {documentId} were not rendered: {reason}")]
    private static partial void LogNotRendered(ILogger logger, int from, Guid documentId, string reason);
}
