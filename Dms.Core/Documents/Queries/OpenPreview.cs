using Dms.Common;
using Dms.Persistence;
using Dms.Storage;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

/// <summary>A preview image of a version, with an entity tag that changes when the image does.</summary>
public sealed record PreviewImage(Stream Content, string ETag);

/// <summary>
/// The current version's thumbnail (page 0) or the image of one of its first pages, as the pipeline's preview step
/// made them: only once the malware scan passed the version, never for a quarantined or unscanned one.
/// </summary>
public sealed class OpenPreview(DmsDbContext db, DocumentReads reads, IBlobStore blobs)
{
    public const string ContentType = "image/png";

    public Task<Outcome<PreviewImage>> HandleAsync(Guid tenantId, Guid documentId, int page, CancellationToken cancellationToken) =>
        reads.ReadAsync<PreviewImage>(tenantId, documentId, async document =>
        {
            if (document.Status == DocumentStatus.Deleted)
            {
                return DocumentErrors.InTrash;
            }

            var current = await db.DocumentVersions.AsNoTracking()
                .SingleOrDefaultAsync(v => v.DocumentId == documentId && v.Version == document.CurrentVersion && v.CompletedAt != null, cancellationToken);
            if (current?.RefusesReading() is { } refused)
            {
                return refused;
            }

            var key = BlobKeys.ForPreview(tenantId, documentId, document.CurrentVersion, page);
            if (current is null || await blobs.GetAsync(key, cancellationToken) is not { } stored)
            {
                return Error.NotFound(page == 0 ? "A thumbnail of the document" : $"An image of page {page} of the document");
            }

            var content = await blobs.OpenReadAsync(key, null, cancellationToken);
            return new PreviewImage(content, $"\"{documentId:N}-v{document.CurrentVersion}-p{page}-{stored.SizeBytes}\"");
        }, cancellationToken);
}
