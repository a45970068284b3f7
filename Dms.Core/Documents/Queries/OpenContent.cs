using Dms.Contracts.Http;
using Dms.Common;
using Dms.Persistence;
using Dms.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.Documents.Queries;

/// <summary>A version's bytes, ready to hand to the client.</summary>
public sealed record VersionContent(DocumentVersion Version, BlobDownload Download);

/// <summary>The bytes of a document's current version, or of the version asked for: only once the scan passed them.</summary>
public sealed class OpenContent(DmsDbContext db, DocumentReads reads, IBlobStore blobs, IOptions<DocumentOptions> options, TimeProvider time)
{
    public Task<Outcome<VersionContent>> HandleAsync(Guid tenantId, Guid documentId, int? version, CancellationToken cancellationToken) =>
        reads.ReadAsync<VersionContent>(tenantId, documentId, AuditActions.Downloaded, async document =>
        {
            if (document.Status == DocumentStatus.Deleted)
            {
                return DocumentErrors.InTrash;
            }

            var wanted = version ?? document.CurrentVersion;
            var stored = await db.DocumentVersions.AsNoTracking()
                .SingleOrDefaultAsync(v => v.DocumentId == documentId && v.Version == wanted && v.CompletedAt != null, cancellationToken);
            if (stored is null)
            {
                return version is null
                    ? new Error(ErrorKind.Conflict, "no-content-yet", "The document's bytes have not been uploaded and completed yet.")
                    : Error.NotFound($"Version {wanted} of the document");
            }

            if (stored.RefusesReading() is { } refused)
            {
                return refused;
            }

            var expiresAt = time.GetUtcNow() + options.Value.DownloadUrlLifetime;
            return new VersionContent(stored, await blobs.OpenDownloadAsync(stored.BlobKey, stored.StorageVersionId, stored.FileName, stored.ContentType, expiresAt, cancellationToken));
        }, cancellationToken, content => content.Version.Version);
}
