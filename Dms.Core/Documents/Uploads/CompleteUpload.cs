using Dms.Common;
using Dms.Operations;
using Dms.Persistence;
using Dms.Search;
using Dms.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dms.Documents.Uploads;

/// <summary>
/// Checks the uploaded object, makes its version current, queues the document and records its processing job:
/// one transaction, so a job exists exactly when the document says it is queued.
/// </summary>
public sealed class CompleteUpload(DmsDbContext db, IBlobStore blobs, ISearchIndex search, UploadReservation reservation, UploadEvents events, TimeProvider time)
{
    private static readonly Error UploadExpired = new(ErrorKind.Conflict, "upload-expired",
        "The upload's time ran out before it was completed, so its reservation is released: create the document (or the version) again.");

    /// <param name="parts">For a version uploaded in parts: each part's number and the ETag storage answered its PUT with.</param>
    public async Task<Outcome<Document>> HandleAsync(Guid tenantId, Guid documentId, IReadOnlyList<CompletedPart>? parts, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.Documents.SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken) is not { } document)
        {
            return DocumentErrors.NotFound;
        }

        // Locked, so the sweeper's release of an expired upload waits for this and then finds it completed.
        var pending = await db.LockPendingVersionAsync(documentId, cancellationToken);
        if (pending is null)
        {
            // Completing twice is harmless: the second call answers what the first did.
            return document.Status == DocumentStatus.PendingUpload ? UploadExpired : document;
        }

        if (pending.UploadExpiresAt < time.GetUtcNow())
        {
            return UploadExpired;
        }

        // Refused before storage is touched, so a multipart upload is not assembled for a document that cannot take it.
        if (document.RefusesUpload() is { } refused)
        {
            return refused;
        }

        if (await CheckStoredAsync(pending, parts, cancellationToken) is { } mismatch)
        {
            return mismatch.Kind == ErrorKind.Invalid ? mismatch : await FailAsync(transaction, tenantId, mismatch, cancellationToken);
        }

        var now = time.GetUtcNow();
        pending.CompletedAt = now;
        var duplicateOf = document.DuplicateOf is null ? await reservation.FindDuplicateAsync(pending.Sha256, document.Id, cancellationToken) : null;
        db.ProcessingJobs.Add(document.MarkUploaded(pending, duplicateOf, now).Value!);
        await db.SaveChangesAsync(cancellationToken);
        await search.IndexAsync(tenantId, document.Id, cancellationToken);
        await events.CommitAsync(transaction, tenantId, OperationEvents.UploadOutcomes.Completed, cancellationToken);
        return document;
    }

    /// <summary>Finishes a multipart upload, then checks that storage holds the declared size and checksum; fills in the checksum if none was declared.</summary>
    private async Task<Error?> CheckStoredAsync(DocumentVersion pending, IReadOnlyList<CompletedPart>? parts, CancellationToken cancellationToken)
    {
        if (pending.UploadId is { } uploadId)
        {
            if (parts is not { Count: > 0 })
            {
                return Error.Invalid("parts", "This version was uploaded in parts: send each part's partNumber and the ETag its PUT returned.");
            }

            if (!await blobs.FinishUploadAsync(pending.BlobKey, uploadId, parts, cancellationToken))
            {
                return new Error(ErrorKind.Conflict, "upload-missing", "Storage does not hold the parts named: PUT every part to its URL first.");
            }

            pending.UploadId = null;
        }

        var stored = await blobs.GetAsync(pending.BlobKey, cancellationToken);
        if (stored is null)
        {
            return new Error(ErrorKind.Conflict, "upload-missing", "No bytes have been uploaded for this version yet: PUT them to the upload URL first.");
        }

        if (stored.SizeBytes != pending.SizeBytes)
        {
            return new Error(ErrorKind.Conflict, "upload-size-mismatch", $"The stored object is {stored.SizeBytes} bytes, not the declared {pending.SizeBytes}.");
        }

        if (pending.Sha256 is not null && stored.Sha256 is not null && stored.Sha256 != pending.Sha256)
        {
            return new Error(ErrorKind.Conflict, "checksum-mismatch", $"The stored object's SHA-256 is {stored.Sha256}, not the declared {pending.Sha256}.");
        }

        pending.Sha256 ??= stored.Sha256;
        pending.StorageVersionId = stored.VersionId;
        return null;
    }

    /// <summary>A <c>complete</c> that found the wrong bytes is counted as a failed upload; nothing else changes.</summary>
    private async Task<Error> FailAsync(IDbContextTransaction transaction, Guid tenantId, Error error, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await events.CommitAsync(transaction, tenantId, OperationEvents.UploadOutcomes.Failed, cancellationToken);
        return error;
    }
}
