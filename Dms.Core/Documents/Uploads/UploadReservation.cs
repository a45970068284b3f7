using Dms.Common;
using Dms.Operations;
using Dms.Persistence;
using Dms.Storage;
using Dms.Tenants.Quota;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dms.Documents.Uploads;

/// <summary>The part that creating a document and adding a version share: a new version, its quota reservation and its upload URL.</summary>
public sealed class UploadReservation(DmsDbContext db, IBlobStore blobs, StorageQuota quota, UploadEvents events, IOptions<DocumentOptions> options)
{
    /// <summary>Adds version <paramref name="number"/> of <paramref name="document"/>, waiting for its bytes; the caller saves.</summary>
    public DocumentVersion AddVersion(Document document, int number, UploadRequest upload, DateTimeOffset now)
    {
        var version = new DocumentVersion
        {
            DocumentId = document.Id,
            Version = number,
            TenantId = document.TenantId,
            FileName = upload.FileName!.Trim(),
            ContentType = upload.NormalizedContentType,
            SizeBytes = upload.SizeBytes!.Value,
            Sha256 = upload.NormalizedSha256,
            BlobKey = BlobKeys.ForVersion(document.TenantId, document.Id, number),
            UploadExpiresAt = now + options.Value.UploadUrlLifetimeFor(upload.SizeBytes!.Value),
            CreatedAt = now,
        };
        db.DocumentVersions.Add(version);
        return version;
    }

    /// <summary>
    /// Writes the new version, then reserves its size against the quota and commits. The reservation comes last:
    /// it locks the tenant's row, which every upload of the tenant takes in turn, so it is held only until the commit.
    /// Storage is asked for an upload (a multipart upload, for S3) only once the reservation is granted.
    /// </summary>
    public async Task<Outcome<PendingUpload>> ReserveAndCommitAsync(
        IDbContextTransaction transaction, Document document, DocumentVersion version, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation, ConstraintName: "fk_documents_tenants_tenant_id" })
        {
            return Error.NotFound("The caller's tenant");
        }

        if (await quota.ReserveAsync(document.TenantId, version.SizeBytes, cancellationToken) is { } refused)
        {
            return refused;
        }

        var prepared = await blobs.PrepareUploadAsync(
            version.BlobKey, version.SizeBytes, version.ContentType, version.Sha256, version.UploadExpiresAt, cancellationToken);
        version.UploadId = prepared.UploadId;
        await db.SaveChangesAsync(cancellationToken);
        await events.CommitAsync(transaction, document.TenantId, OperationEvents.UploadOutcomes.Initiated, cancellationToken);
        return new PendingUpload(document, version, prepared.Instruction);
    }

    /// <summary>An older document of the tenant with the same bytes, if one is not in the trash.</summary>
    public Task<Guid?> FindDuplicateAsync(string? sha256, Guid? except, CancellationToken cancellationToken) =>
        sha256 is null
            ? Task.FromResult<Guid?>(null)
            : db.Documents
                .Where(d => d.Sha256 == sha256 && d.Id != except && d.Status != DocumentStatus.Deleted)
                .OrderBy(d => d.CreatedAt)
                .Select(d => (Guid?)d.Id)
                .FirstOrDefaultAsync(cancellationToken);
}
