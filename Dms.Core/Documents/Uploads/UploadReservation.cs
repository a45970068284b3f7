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
    /// Writes the new version with its upload and commits it with its quota charge, which the database applies inside
    /// the commit (<see cref="StorageQuota.ChargeAtCommitAsync"/>): the tenant's row, which every upload of the tenant
    /// locks in turn, is locked for no round trip to this process. A size the quota plainly has no room for is refused
    /// before storage is asked for anything; an upload storage prepared (a multipart upload, for S3) for a charge that
    /// then lost the race is aborted.
    /// </summary>
    public async Task<Outcome<PendingUpload>> ReserveAndCommitAsync(
        IDbContextTransaction transaction, Document document, DocumentVersion version, CancellationToken cancellationToken)
    {
        if (await quota.ChargeAtCommitAsync(document.TenantId, version.SizeBytes, cancellationToken) is { } excess)
        {
            return excess;
        }

        var prepared = await blobs.PrepareUploadAsync(
            version.BlobKey, version.SizeBytes, version.ContentType, version.Sha256, version.UploadExpiresAt, cancellationToken);
        var committed = false;
        try
        {
            version.UploadId = prepared.UploadId;
            try
            {
                // The document, its version and the event in one batch, then the commit that applies the charge.
                await events.CommitAsync(transaction, document.TenantId, OperationEvents.UploadOutcomes.Initiated, cancellationToken);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation, ConstraintName: "fk_documents_tenants_tenant_id" })
            {
                return Error.NotFound("The caller's tenant");
            }
            catch (Exception e) when (StorageQuota.RefusedTheCharge(e))
            {
                // Another upload took the room since the charge read it: nothing was committed.
                await transaction.DisposeAsync();
                return await quota.RefusalAsync(document.TenantId, version.SizeBytes, cancellationToken);
            }

            committed = true;
            return new PendingUpload(document, version, prepared.Instruction);
        }
        finally
        {
            if (!committed && prepared.UploadId is { } uploadId)
            {
                await AbortQuietlyAsync(version.BlobKey, uploadId);
            }
        }
    }

    /// <summary>Best effort: the bucket's lifecycle rule aborts a multipart upload left incomplete anyway.</summary>
    private async Task AbortQuietlyAsync(string key, string uploadId)
    {
        try
        {
            await blobs.AbortUploadAsync(key, uploadId, CancellationToken.None);
        }
        catch (Exception)
        {
        }
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
