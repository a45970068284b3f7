using Dms.Common;
using Dms.Data;
using Dms.Operations;
using Dms.Search;
using Dms.Processing;
using Dms.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dms.Documents;

/// <summary>A new version waiting for its bytes, and how to send them.</summary>
public sealed record PendingUpload(Document Document, DocumentVersion Version, UploadInstruction Upload);

/// <summary>A version's bytes, ready to hand to the client.</summary>
public sealed record VersionContent(DocumentVersion Version, BlobDownload Download);

/// <summary>
/// A tenant's documents: create (reserving quota), complete, read, change, version, trash and purge. Every method
/// runs in a transaction bound to the tenant, so row-level security applies whatever the query says.
/// </summary>
public sealed class DocumentService(
    DmsDbContext db, IBlobStore blobs, ISearchIndex search, IOptions<DocumentOptions> options, TimeProvider time, UploadMetrics uploads)
{
    private DocumentOptions Limits => options.Value;

    public sealed record NewDocument(string? FileName, string? ContentType, long? SizeBytes, string? Sha256, string? Title, string[]? Tags)
    {
        public UploadRequest Upload => new(FileName, ContentType, SizeBytes, Sha256);
    }

    public async Task<Outcome<PendingUpload>> CreateAsync(Guid tenantId, NewDocument request, CancellationToken cancellationToken)
    {
        if ((request.Upload.Validate(Limits) ?? ValidateTitle(request.Title) ?? ValidateTags(request.Tags)) is { } invalid)
        {
            return invalid;
        }

        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var now = time.GetUtcNow();
        var sha256 = request.Upload.NormalizedSha256;
        var document = new Document
        {
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            Title = string.IsNullOrWhiteSpace(request.Title) ? request.FileName!.Trim() : request.Title.Trim(),
            FileName = request.FileName!.Trim(),
            ContentType = request.Upload.NormalizedContentType,
            SizeBytes = request.SizeBytes!.Value,
            Sha256 = sha256,
            Status = DocumentStatus.PendingUpload,
            Tags = NormalizeTags(request.Tags),
            CurrentVersion = 1,
            DuplicateOf = sha256 is null ? null : await FindDuplicateAsync(sha256, null, cancellationToken),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Documents.Add(document);
        return await ReserveAndCommitAsync(transaction, document, NewVersion(document, 1, request.Upload, now), cancellationToken);
    }

    public async Task<Outcome<PendingUpload>> AddVersionAsync(Guid tenantId, Guid documentId, UploadRequest request, CancellationToken cancellationToken)
    {
        if (request.Validate(Limits) is { } invalid)
        {
            return invalid;
        }

        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var document = await db.Documents.SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return Error.NotFound("The document");
        }

        if (document.Status == DocumentStatus.Deleted)
        {
            return InTrash();
        }

        var versions = await db.DocumentVersions.Where(v => v.DocumentId == documentId).ToListAsync(cancellationToken);
        if (versions.Any(v => v.CompletedAt is null))
        {
            return new Error(ErrorKind.Conflict, "upload-in-progress",
                "A version of this document is still waiting for its upload: complete it (or let it expire) first.");
        }

        return await ReserveAndCommitAsync(transaction, document, NewVersion(document, versions.Max(v => v.Version) + 1, request, time.GetUtcNow()), cancellationToken);
    }

    /// <summary>
    /// Writes the new version, then reserves its size against the quota and commits. The reservation comes last:
    /// it locks the tenant's row, which every upload of the tenant takes in turn, so it is held only until the commit.
    /// Storage is asked for an upload (a multipart upload, for S3) only once the reservation is granted.
    /// </summary>
    private async Task<Outcome<PendingUpload>> ReserveAndCommitAsync(
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

        await db.RecordEventAsync(document.TenantId, OperationEvents.Upload, OperationEvents.UploadOutcomes.Initiated, time.GetUtcNow(), cancellationToken);
        if (await ReserveAsync(document.TenantId, version.SizeBytes, cancellationToken) is { } refused)
        {
            return refused;
        }

        var upload = await PrepareUploadAsync(version, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        uploads.Ended(OperationEvents.UploadOutcomes.Initiated);
        return new PendingUpload(document, version, upload);
    }

    /// <summary>
    /// Checks the uploaded object, makes its version current, queues the document and records its processing job:
    /// one transaction, so a job exists exactly when the document says it is queued.
    /// </summary>
    /// <param name="parts">For a version uploaded in parts: each part's number and the ETag storage answered its PUT with.</param>
    public async Task<Outcome<Document>> CompleteAsync(Guid tenantId, Guid documentId, IReadOnlyList<CompletedPart>? parts, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var document = await db.Documents.SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return Error.NotFound("The document");
        }

        var pending = await db.DocumentVersions
            .Where(v => v.DocumentId == documentId && v.CompletedAt == null)
            .SingleOrDefaultAsync(cancellationToken);
        if (pending is null)
        {
            // Completing twice is harmless: the second call answers what the first did.
            return document.Status == DocumentStatus.PendingUpload
                ? new Error(ErrorKind.Conflict, "upload-expired", "The upload was never completed and its reservation expired: create the document again.")
                : document;
        }

        if (pending.UploadId is { } uploadId)
        {
            if (parts is not { Count: > 0 })
            {
                return Error.Invalid("parts", "This version was uploaded in parts: send each part's partNumber and the ETag its PUT returned.");
            }

            if (!await blobs.FinishUploadAsync(pending.BlobKey, uploadId, parts, cancellationToken))
            {
                return await UploadFailedAsync(transaction, tenantId, new Error(
                    ErrorKind.Conflict, "upload-missing", "Storage does not hold the parts named: PUT every part to its URL first."), cancellationToken);
            }

            pending.UploadId = null;
        }

        var stored = await blobs.GetAsync(pending.BlobKey, cancellationToken);
        var mismatch = stored switch
        {
            null => new Error(ErrorKind.Conflict, "upload-missing", "No bytes have been uploaded for this version yet: PUT them to the upload URL first."),
            _ when stored.SizeBytes != pending.SizeBytes =>
                new Error(ErrorKind.Conflict, "upload-size-mismatch", $"The stored object is {stored.SizeBytes} bytes, not the declared {pending.SizeBytes}."),
            _ when pending.Sha256 is not null && stored.Sha256 is not null && stored.Sha256 != pending.Sha256 =>
                new Error(ErrorKind.Conflict, "checksum-mismatch", $"The stored object's SHA-256 is {stored.Sha256}, not the declared {pending.Sha256}."),
            _ => null,
        };
        if (mismatch is not null)
        {
            return await UploadFailedAsync(transaction, tenantId, mismatch, cancellationToken);
        }

        var now = time.GetUtcNow();
        pending.Sha256 ??= stored!.Sha256;
        pending.CompletedAt = now;
        document.CurrentVersion = pending.Version;
        document.FileName = pending.FileName;
        document.ContentType = pending.ContentType;
        document.SizeBytes = pending.SizeBytes;
        document.Sha256 = pending.Sha256;
        document.DuplicateOf ??= pending.Sha256 is null ? null : await FindDuplicateAsync(pending.Sha256, document.Id, cancellationToken);
        document.Status = DocumentStatus.Queued;
        document.UpdatedAt = now;
        document.FailureReason = null;
        db.ProcessingJobs.Add(ProcessingJob.For(tenantId, document.Id, pending.Version, now));
        await db.SaveChangesAsync(cancellationToken);
        await search.IndexAsync(tenantId, document.Id, cancellationToken);
        await CommitWithUploadEventAsync(transaction, tenantId, OperationEvents.UploadOutcomes.Completed, cancellationToken);
        return document;
    }

    /// <summary>A <c>complete</c> that found the wrong bytes is counted as a failed upload; nothing else changes.</summary>
    private async Task<Error> UploadFailedAsync(IDbContextTransaction transaction, Guid tenantId, Error error, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await CommitWithUploadEventAsync(transaction, tenantId, OperationEvents.UploadOutcomes.Failed, cancellationToken);
        return error;
    }

    private async Task CommitWithUploadEventAsync(IDbContextTransaction transaction, Guid tenantId, string outcome, CancellationToken cancellationToken)
    {
        await db.RecordEventAsync(tenantId, OperationEvents.Upload, outcome, time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        uploads.Ended(outcome);
    }

    /// <summary>For operators, who act on a document by its id alone: the tenant it belongs to, if it exists.</summary>
    public async Task<Guid?> FindTenantAsync(Guid documentId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        return await db.Documents.Where(d => d.Id == documentId).Select(d => (Guid?)d.TenantId).SingleOrDefaultAsync(cancellationToken);
    }

    public async Task<Outcome<Document>> GetAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        return await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken) is { } document
            ? document
            : Error.NotFound("The document");
    }

    public async Task<Outcome<DocumentPage>> ListAsync(Guid tenantId, DocumentQuery query, CancellationToken cancellationToken)
    {
        if (query.Validate(Limits) is { } invalid)
        {
            return invalid;
        }

        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        // The tenant named as well as enforced: the row-level policy's "or cross-tenant" keeps PostgreSQL from using the
        // (tenant, created) index for it, and without the index a page of a large tenant sorts all its documents.
        var documents = query.Apply(db.Documents.AsNoTracking().Where(d => d.TenantId == tenantId));
        var limit = query.Limit ?? DocumentQuery.DefaultLimit;
        var page = await documents.Take(limit + 1).ToListAsync(cancellationToken);
        var next = page.Count > limit ? DocumentQuery.CursorAfter(page[limit - 1]) : null;
        return new DocumentPage(page.Take(limit).ToList(), next);
    }

    public async Task<Outcome<Document>> UpdateAsync(Guid tenantId, Guid documentId, string? title, string[]? tags, CancellationToken cancellationToken)
    {
        if ((ValidateTitle(title) ?? ValidateTags(tags)) is { } invalid)
        {
            return invalid;
        }

        if (title is not null && string.IsNullOrWhiteSpace(title))
        {
            return Error.Invalid("title", "title must not be empty.");
        }

        return await ChangeAsync(tenantId, documentId, document =>
        {
            document.Title = title?.Trim() ?? document.Title;
            document.Tags = tags is null ? document.Tags : NormalizeTags(tags);
            document.UpdatedAt = time.GetUtcNow();
        }, cancellationToken);
    }

    public async Task<Outcome<IReadOnlyList<DocumentVersion>>> ListVersionsAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (!await db.Documents.AnyAsync(d => d.Id == documentId, cancellationToken))
        {
            return Error.NotFound("The document");
        }

        return await db.DocumentVersions.AsNoTracking()
            .Where(v => v.DocumentId == documentId)
            .OrderBy(v => v.Version)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The bytes of the current version, or of <paramref name="version"/>.</summary>
    public async Task<Outcome<VersionContent>> OpenContentAsync(Guid tenantId, Guid documentId, int? version, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var document = await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return Error.NotFound("The document");
        }

        if (document.Status == DocumentStatus.Deleted)
        {
            return InTrash();
        }

        if (document.Status == DocumentStatus.Quarantined)
        {
            return Quarantined(document);
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

        var download = await blobs.OpenDownloadAsync(stored.BlobKey, stored.FileName, stored.ContentType, time.GetUtcNow() + Limits.DownloadUrlLifetime, cancellationToken);
        return new VersionContent(stored, download);
    }

    /// <summary>Moves the document to the trash: restorable until the tenant's retention days have passed.</summary>
    public Task<Outcome<Document>> DeleteAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) =>
        ChangeAsync(tenantId, documentId, document =>
        {
            if (document.Status != DocumentStatus.Deleted)
            {
                document.StatusBeforeDelete = document.Status;
                document.Status = DocumentStatus.Deleted;
                document.DeletedAt = document.UpdatedAt = time.GetUtcNow();
            }
        }, cancellationToken);

    /// <summary>
    /// Takes the document out of the trash. One deleted while the pipeline had it comes back queued with a new job:
    /// the worker dropped the old one when it saw the document gone.
    /// </summary>
    public Task<Outcome<Document>> RestoreAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) =>
        ChangeAsync(tenantId, documentId, document =>
        {
            if (document.Status == DocumentStatus.Deleted)
            {
                var before = document.StatusBeforeDelete ?? DocumentStatus.Ready;
                document.Status = before.IsInFlight() ? Requeue(document) : before;
                document.StatusBeforeDelete = null;
                document.DeletedAt = null;
                document.UpdatedAt = time.GetUtcNow();
            }
        }, cancellationToken);

    /// <summary>
    /// Runs the pipeline again on the current version (after a fix, a new scanner signature, a better OCR): its
    /// earlier step records and text go, and a new job is queued, in one transaction.
    /// </summary>
    public async Task<Outcome<Document>> ReprocessAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var document = await db.Documents.SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return Error.NotFound("The document");
        }

        if (document.Status is not (DocumentStatus.Ready or DocumentStatus.Failed or DocumentStatus.Quarantined))
        {
            return new Error(ErrorKind.Conflict, "not-reprocessable",
                $"The document is {SnakeCaseNames<DocumentStatus>.ToName(document.Status)}: only ready, failed or quarantined documents can be reprocessed.");
        }

        await db.ProcessingSteps.Where(s => s.DocumentId == documentId && s.Version == document.CurrentVersion).ExecuteDeleteAsync(cancellationToken);
        await db.DocumentTexts.Where(t => t.DocumentId == documentId && t.Version == document.CurrentVersion).ExecuteDeleteAsync(cancellationToken);
        document.Status = Requeue(document);
        document.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await search.IndexAsync(tenantId, documentId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return document;
    }

    /// <summary>What each pipeline step did to the current version.</summary>
    public async Task<Outcome<IReadOnlyList<ProcessingStep>>> ListProcessingStepsAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var document = await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return Error.NotFound("The document");
        }

        var steps = await db.ProcessingSteps.AsNoTracking()
            .Where(s => s.DocumentId == documentId && s.Version == document.CurrentVersion)
            .ToListAsync(cancellationToken);
        return steps.OrderBy(s => s.Step).ToList();
    }

    /// <summary>The text the pipeline read from the current version.</summary>
    public async Task<Outcome<DocumentText>> GetTextAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var document = await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return Error.NotFound("The document");
        }

        if (document.Status is DocumentStatus.Quarantined)
        {
            return Quarantined(document);
        }

        var text = await db.DocumentTexts.AsNoTracking()
            .SingleOrDefaultAsync(t => t.DocumentId == documentId && t.Version == document.CurrentVersion, cancellationToken);
        return text is null
            ? new Error(ErrorKind.Conflict, "no-text-yet", $"The document is {SnakeCaseNames<DocumentStatus>.ToName(document.Status)}: no text has been extracted from it.")
            : text;
    }

    /// <summary>Queues the current version again; the caller saves.</summary>
    private DocumentStatus Requeue(Document document)
    {
        document.FailureReason = null;
        db.ProcessingJobs.Add(ProcessingJob.For(document.TenantId, document.Id, document.CurrentVersion, time.GetUtcNow()));
        return DocumentStatus.Queued;
    }

    /// <summary>Removes the document for good: every version's bytes, its rows, and their share of the quota.</summary>
    public async Task<Outcome<Guid>> PurgeAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var document = await db.Documents.SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return Error.NotFound("The document");
        }

        var bytes = await db.DocumentVersions.Where(v => v.DocumentId == documentId).SumAsync(v => v.SizeBytes, cancellationToken);
        db.Documents.Remove(document);
        await db.SaveChangesAsync(cancellationToken);
        await search.IndexAsync(tenantId, documentId, cancellationToken);
        await ReleaseAsync(tenantId, bytes, cancellationToken);
        // Bytes go before the commit: if deleting them fails, the rows stay and the purge can be retried.
        await blobs.DeletePrefixAsync(BlobKeys.DocumentPrefix(tenantId, documentId), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return documentId;
    }

    /// <summary>
    /// Gives back the reservation of a version whose upload URL expired before it was completed, with any bytes that
    /// reached storage; a document left with no version at all goes too.
    /// </summary>
    public async Task<bool> ReleaseExpiredUploadAsync(Guid tenantId, Guid documentId, int version, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var pending = await db.DocumentVersions.SingleOrDefaultAsync(
            v => v.DocumentId == documentId && v.Version == version && v.CompletedAt == null && v.UploadExpiresAt < time.GetUtcNow(), cancellationToken);
        if (pending is null)
        {
            return false;
        }

        if (pending.UploadId is { } uploadId)
        {
            await blobs.AbortUploadAsync(pending.BlobKey, uploadId, cancellationToken);
        }

        db.DocumentVersions.Remove(pending);
        await db.SaveChangesAsync(cancellationToken);
        if (!await db.DocumentVersions.AnyAsync(v => v.DocumentId == documentId, cancellationToken))
        {
            await db.Documents.Where(d => d.Id == documentId).ExecuteDeleteAsync(cancellationToken);
        }

        await ReleaseAsync(tenantId, pending.SizeBytes, cancellationToken);
        await blobs.DeletePrefixAsync(BlobKeys.VersionPrefix(tenantId, documentId, version), cancellationToken);
        await CommitWithUploadEventAsync(transaction, tenantId, OperationEvents.UploadOutcomes.Expired, cancellationToken);
        return true;
    }

    /// <summary>Loads one of the tenant's documents, applies <paramref name="change"/> and saves it, in one transaction.</summary>
    private async Task<Outcome<Document>> ChangeAsync(Guid tenantId, Guid documentId, Action<Document> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var document = await db.Documents.SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken);
        if (document is null)
        {
            return Error.NotFound("The document");
        }

        change(document);
        await db.SaveChangesAsync(cancellationToken);
        await search.IndexAsync(tenantId, documentId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return document;
    }

    /// <summary>One statement, so two racing uploads can never push a tenant past its quota.</summary>
    private async Task<Error?> ReserveAsync(Guid tenantId, long sizeBytes, CancellationToken cancellationToken)
    {
        var reserved = await db.Database.ExecuteSqlAsync(
            $"UPDATE tenants SET used_bytes = used_bytes + {sizeBytes} WHERE id = {tenantId} AND used_bytes + {sizeBytes} <= storage_quota_bytes",
            cancellationToken);
        if (reserved == 1)
        {
            return null;
        }

        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        return tenant is null
            ? Error.NotFound("The caller's tenant")
            : new Error(ErrorKind.QuotaExceeded, "quota-exceeded",
                $"Storing {sizeBytes} more bytes would exceed the tenant's quota: {tenant.UsedBytes} of {tenant.StorageQuotaBytes} bytes are used.");
    }

    private Task ReleaseAsync(Guid tenantId, long sizeBytes, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"UPDATE tenants SET used_bytes = greatest(used_bytes - {sizeBytes}, 0) WHERE id = {tenantId}", cancellationToken);

    private DocumentVersion NewVersion(Document document, int number, UploadRequest upload, DateTimeOffset now)
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
            UploadExpiresAt = now + Limits.UploadUrlLifetime,
            CreatedAt = now,
        };
        db.DocumentVersions.Add(version);
        return version;
    }

    private async Task<UploadInstruction> PrepareUploadAsync(DocumentVersion version, CancellationToken cancellationToken)
    {
        var prepared = await blobs.PrepareUploadAsync(version.BlobKey, version.SizeBytes, version.ContentType, version.Sha256, version.UploadExpiresAt, cancellationToken);
        version.UploadId = prepared.UploadId;
        return prepared.Instruction;
    }

    private Task<Guid?> FindDuplicateAsync(string sha256, Guid? except, CancellationToken cancellationToken) =>
        db.Documents
            .Where(d => d.Sha256 == sha256 && d.Id != except && d.Status != DocumentStatus.Deleted)
            .OrderBy(d => d.CreatedAt)
            .Select(d => (Guid?)d.Id)
            .FirstOrDefaultAsync(cancellationToken);

    private Error? ValidateTitle(string? title) =>
        title is not null && (title.Length > Limits.MaxTitleLength || title.Any(char.IsControl))
            ? Error.Invalid("title", $"title must be at most {Limits.MaxTitleLength} characters, without control characters.")
            : null;

    private Error? ValidateTags(string[]? tags) => tags switch
    {
        null => null,
        _ when tags.Length > Limits.MaxTags => Error.Invalid("tags", $"At most {Limits.MaxTags} tags are allowed."),
        _ when tags.Any(t => string.IsNullOrWhiteSpace(t) || t.Length > Limits.MaxTagLength || t.Any(char.IsControl)) =>
            Error.Invalid("tags", $"Each tag must be 1 to {Limits.MaxTagLength} characters, without control characters."),
        _ => null,
    };

    private static string[] NormalizeTags(string[]? tags) =>
        tags is null ? [] : tags.Select(t => t.Trim().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToArray();

    private static Error Quarantined(Document document) =>
        new(ErrorKind.Conflict, "document-quarantined", $"The document is quarantined and cannot be read: {document.FailureReason}");

    private static Error InTrash() =>
        new(ErrorKind.Conflict, "document-deleted", "The document is in the trash: restore it first.");
}
