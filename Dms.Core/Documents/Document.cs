using Dms.Common;
using Dms.Documents.Uploads;
using Dms.Fields;
using Dms.Processing;

namespace Dms.Documents;

/// <summary>
/// A tenant's document: metadata only; the bytes live in the blob store. Its status moves only through the methods
/// below (what users do) and <see cref="ProcessingStore"/> (what the pipeline does), each checked against
/// <see cref="DocumentStatusTable"/>.
/// </summary>
public sealed class Document
{
    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public string Title { get; private set; } = "";
    public string FileName { get; private set; } = "";
    public string ContentType { get; private set; } = "";

    /// <summary>Size of the current version.</summary>
    public long SizeBytes { get; private set; }

    /// <summary>Hex SHA-256 of the content, when the client declared it or the pipeline computed it.</summary>
    public string? Sha256 { get; private set; }

    public DocumentStatus Status { get; private set; }

    public string[] Tags { get; private set; } = [];

    /// <summary>The version that the document's file name, type, size and checksum describe.</summary>
    public int CurrentVersion { get; private set; } = 1;

    /// <summary>An older document of the same tenant with the same content, reported, never merged.</summary>
    public Guid? DuplicateOf { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }

    /// <summary>Why the document is <c>failed</c> or <c>quarantined</c>.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>The status a soft-deleted document returns to when it is restored.</summary>
    public DocumentStatus? StatusBeforeDelete { get; private set; }

    /// <summary>What the document is (one of its tenant's document types).</summary>
    public Guid? DocumentTypeId { get; private set; }

    /// <summary>Who it is from or to (one of its tenant's correspondents).</summary>
    public Guid? CorrespondentId { get; private set; }

    /// <summary>The date the document is about (an invoice's date), not when it was added.</summary>
    public DateOnly? DocumentDate { get; private set; }

    /// <summary>The date the pipeline read in its text (<see cref="DateProposal"/>), offered until someone sets or clears <see cref="DocumentDate"/>.</summary>
    public DateOnly? SuggestedDate { get; private set; }

    /// <summary>The user (their subject) who owns the document: who added it, unless an admin gave it to someone else.</summary>
    public string? OwnerUserId { get; private set; }

    /// <summary>The group that owns the document instead of a user.</summary>
    public Guid? OwnerGroupId { get; private set; }

    /// <summary>
    /// Whether grants restrict who sees the document: then only tenant admins, its owner and its grantees do (the
    /// database's row-level security); without grants the whole tenant sees it.
    /// </summary>
    public bool Restricted { get; private set; }

    /// <summary>When its type's retention flagged it for an admin's review (<see cref="Retention.RetentionSweeper"/>); null when not.</summary>
    public DateTimeOffset? RetentionDueAt { get; private set; }

    /// <summary>When an admin reviewed it and kept it past its type's retention: it is not flagged again.</summary>
    public DateTimeOffset? RetentionKeptAt { get; private set; }

    /// <summary>Its values of its tenant's custom fields, one per field; always loaded with the document.</summary>
    public List<FieldValue> FieldValues { get; private set; } = [];

    /// <summary>A new document waiting for the bytes of its first version.</summary>
    /// <param name="owner">The user who adds it (their subject), null when Dms itself does.</param>
    public static Document Create(Guid tenantId, UploadRequest upload, string? title, string[]? tags, Guid? duplicateOf, string? owner, DateTimeOffset now) => new()
    {
        OwnerUserId = owner,
        Id = Guid.CreateVersion7(now),
        TenantId = tenantId,
        Title = string.IsNullOrWhiteSpace(title) ? upload.FileName!.Trim() : title.Trim(),
        FileName = upload.FileName!.Trim(),
        ContentType = upload.NormalizedContentType,
        SizeBytes = upload.SizeBytes!.Value,
        Sha256 = upload.NormalizedSha256,
        Status = DocumentStatus.PendingUpload,
        Tags = DocumentMetadata.NormalizeTags(tags),
        DuplicateOf = duplicateOf,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>Changes the title and tags that were given; the caller has checked them with <see cref="DocumentMetadata"/>.</summary>
    public void Edit(string? title, string[]? tags, DateTimeOffset now)
    {
        Title = title?.Trim() ?? Title;
        Tags = tags is null ? Tags : DocumentMetadata.NormalizeTags(tags);
        UpdatedAt = now;
    }

    /// <summary>
    /// Describes the document: what is given changes, what is cleared goes; <paramref name="values"/> replace the
    /// values of their fields and <paramref name="removed"/> fields lose theirs. The caller checked every reference.
    /// </summary>
    public void Describe(DocumentDescription description, IReadOnlyList<FieldValue> values, IReadOnlyCollection<Guid> removed, DateTimeOffset now)
    {
        DocumentTypeId = description.ClearsType ? null : description.DocumentTypeId ?? DocumentTypeId;
        CorrespondentId = description.ClearsCorrespondent ? null : description.CorrespondentId ?? CorrespondentId;
        DocumentDate = description.ClearsDate ? null : description.DocumentDate ?? DocumentDate;
        if (description.ClearsDate || description.DocumentDate is not null)
        {
            SuggestedDate = null;
        }

        FieldValues.RemoveAll(v => removed.Contains(v.FieldId));
        foreach (var value in values)
        {
            // A field's row is kept and overwritten: its key is (document, field).
            var row = FieldValues.FirstOrDefault(v => v.FieldId == value.FieldId);
            if (row is null)
            {
                FieldValues.Add(row = new FieldValue { TenantId = TenantId, DocumentId = Id, FieldId = value.FieldId });
            }

            row.Overwrite(value);
        }

        UpdatedAt = now;
    }

    /// <summary>Gives the document to a user or a group (one of the two, or nobody) and says whether grants restrict it.</summary>
    public void ChangePermissions(string? ownerUser, Guid? ownerGroup, bool restricted, DateTimeOffset now)
    {
        OwnerUserId = ownerUser;
        OwnerGroupId = ownerGroup;
        Restricted = restricted;
        UpdatedAt = now;
    }

    public void FlagForRetentionReview(DateTimeOffset now)
    {
        RetentionDueAt = now;
        UpdatedAt = now;
    }

    public Error? KeepPastRetention(DateTimeOffset now)
    {
        RetentionDueAt = null;
        RetentionKeptAt = now;
        UpdatedAt = now;
        return null;
    }

    /// <summary>Why the document takes no new version's bytes (it is in the trash), or null when it does.</summary>
    public Error? RefusesUpload() => Status == DocumentStatus.Deleted ? DocumentErrors.InTrash : null;

    /// <summary>
    /// The bytes of <paramref name="version"/> arrived and were checked: it becomes current and the document is
    /// queued. Returns the processing job to save with it.
    /// </summary>
    public Outcome<ProcessingJob> MarkUploaded(DocumentVersion version, Guid? duplicateOf, DateTimeOffset now)
    {
        if (RefusesUpload() is { } refused)
        {
            return refused;
        }

        CurrentVersion = version.Version;
        FileName = version.FileName;
        ContentType = version.ContentType;
        SizeBytes = version.SizeBytes;
        Sha256 = version.Sha256;
        DuplicateOf ??= duplicateOf;
        return Queue(DocumentTrigger.Complete, now);
    }

    /// <summary>Moves the document to the trash (again: nothing changes); restorable until its tenant's retention has passed.</summary>
    public void Trash(DateTimeOffset now)
    {
        if (Status == DocumentStatus.Deleted)
        {
            return;
        }

        StatusBeforeDelete = Status;
        MoveTo(DocumentStatus.Deleted, DocumentTrigger.Trash);
        DeletedAt = UpdatedAt = now;
    }

    /// <summary>
    /// Takes the document out of the trash (a document not in it stays as it is). One trashed while the pipeline had
    /// it comes back queued, with the job returned here: the worker dropped the old one when it saw the document gone.
    /// </summary>
    public ProcessingJob? Restore(DateTimeOffset now)
    {
        if (Status != DocumentStatus.Deleted)
        {
            return null;
        }

        var before = StatusBeforeDelete ?? DocumentStatus.Ready;
        StatusBeforeDelete = null;
        DeletedAt = null;
        if (before.IsInFlight())
        {
            return Queue(DocumentTrigger.Restore, now);
        }

        MoveTo(before, DocumentTrigger.Restore);
        UpdatedAt = now;
        return null;
    }

    /// <summary>Queues the current version again: only for a document that finished processing.</summary>
    public Outcome<ProcessingJob> Reprocess(DateTimeOffset now) =>
        DocumentStatusTable.Allows(Status, DocumentStatus.Queued, DocumentTrigger.Reprocess)
            ? Queue(DocumentTrigger.Reprocess, now)
            : new Error(ErrorKind.Conflict, "not-reprocessable",
                $"The document is {SnakeCaseNames<DocumentStatus>.ToName(Status)}: only ready, failed or quarantined documents can be reprocessed.");

    private ProcessingJob Queue(DocumentTrigger trigger, DateTimeOffset now)
    {
        MoveTo(DocumentStatus.Queued, trigger);
        FailureReason = null;
        UpdatedAt = now;
        return ProcessingJob.For(TenantId, Id, CurrentVersion, now);
    }

    private void MoveTo(DocumentStatus next, DocumentTrigger trigger)
    {
        if (!DocumentStatusTable.Allows(Status, next, trigger))
        {
            throw new InvalidOperationException($"A document cannot go from {Status} to {next} by {trigger}.");
        }

        Status = next;
    }
}
