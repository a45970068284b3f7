namespace Dms.Contracts.Http;

/// <summary>A document as the API shows it: metadata only; its text and processing record have their own routes.</summary>
/// <param name="Status">One of <see cref="DocumentStatuses.All"/>.</param>
/// <param name="Actions">What the caller may do with it now (<see cref="DocumentActions"/>): a client offers these and no others.</param>
/// <param name="Previewable">Whether it has page images to show: a type the pipeline renders, and ready (its scan passed).</param>
/// <param name="DocumentTypeId">What it is: one of the tenant's document types.</param>
/// <param name="CorrespondentId">Who it is from or to: one of the tenant's correspondents.</param>
/// <param name="DocumentDate">The date it is about (an invoice's date), not when it was added.</param>
/// <param name="Fields">Its custom field values, one per field.</param>
/// <param name="SuggestedDate">The date the pipeline read in its text, offered while <see cref="DocumentDate"/> is not set.</param>
/// <param name="Restricted">Whether grants restrict who sees it (its permissions: <c>/documents/{id}/permissions</c>).</param>
/// <param name="RetentionDueAt">When its type's retention flagged it for review (an admin keeps it or trashes it).</param>
public sealed record DocumentResponse(
    Guid Id,
    string Title,
    string FileName,
    string ContentType,
    long SizeBytes,
    string? Sha256,
    string Status,
    string[] Tags,
    int CurrentVersion,
    Guid? DuplicateOf,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt,
    string? FailureReason,
    IReadOnlyList<string> Actions,
    bool Previewable,
    Guid? DocumentTypeId = null,
    Guid? CorrespondentId = null,
    DateOnly? DocumentDate = null,
    IReadOnlyList<FieldValueItem>? Fields = null,
    DateOnly? SuggestedDate = null,
    bool Restricted = false,
    DateTimeOffset? RetentionDueAt = null);

public sealed record DocumentListResponse(IReadOnlyList<DocumentResponse> Documents, string? NextCursor);

/// <summary>What one pipeline step did to the current version.</summary>
public sealed record ProcessingStepResponse(int Version, string Step, string Outcome, int Attempt, long DurationMs, string? Detail, string? Error, DateTimeOffset FinishedAt);

public sealed record DocumentTextResponse(int Version, string Text, int Pages, int OcrPages, DateTimeOffset ExtractedAt);

/// <param name="ScanVerdict">One of <see cref="ScanVerdicts.All"/>.</param>
/// <param name="Downloadable">Whether its bytes may be read: uploaded, and scanned clean (or not scanned, the scanner being off).</param>
public sealed record VersionResponse(
    int Version, string FileName, string ContentType, long SizeBytes, string? Sha256, bool Uploaded, string ScanVerdict, DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt, bool Downloadable);

/// <summary>The operator's view of a document of any tenant, with what each pipeline step did.</summary>
public sealed record AdminDocumentResponse(DocumentResponse Document, IReadOnlyList<ProcessingStepResponse> Processing);

/// <summary>A new document (<see cref="Title"/> and <see cref="Tags"/> optional): its bytes follow at the URL the answer gives.</summary>
public sealed record CreateDocumentRequest(string? FileName, string? ContentType, long? SizeBytes, string? Sha256, string? Title, string[]? Tags);

public sealed record NewVersionRequest(string? FileName, string? ContentType, long? SizeBytes, string? Sha256);

/// <summary>What changes (null: unchanged).</summary>
/// <param name="Fields">Values by field id, each written as <see cref="FieldValueItem.Value"/> says; null removes a field's value.</param>
/// <param name="Clear">Attributes to remove: documentType, correspondent, documentDate.</param>
public sealed record UpdateDocumentRequest(
    string? Title, string[]? Tags, Guid? DocumentTypeId = null, Guid? CorrespondentId = null, DateOnly? DocumentDate = null,
    IReadOnlyDictionary<Guid, System.Text.Json.JsonElement>? Fields = null, IReadOnlyList<string>? Clear = null);

/// <summary>Only for a version uploaded in parts: what each part's PUT answered.</summary>
public sealed record CompleteRequest(IReadOnlyList<CompletedPart>? Parts);

/// <summary>A created document or version and where to send its bytes.</summary>
public sealed record UploadResponse(DocumentResponse Document, int Version, UploadInstruction Upload);

/// <summary>
/// How a client sends a version's bytes straight to storage, never through an API buffer: one request to
/// <see cref="Url"/> with <see cref="Headers"/>, or, for a large file, one request per part (then <see cref="Url"/> is null).
/// </summary>
public sealed record UploadInstruction(
    string? Url, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt, IReadOnlyList<UploadPart>? Parts = null);

/// <summary>One part of a large upload: the bytes from <see cref="Offset"/>, <see cref="SizeBytes"/> long.</summary>
public sealed record UploadPart(int PartNumber, string Url, long Offset, long SizeBytes);

/// <summary>A part the client uploaded, as storage acknowledged it (the ETag header of the part's PUT).</summary>
public sealed record CompletedPart(int PartNumber, string ETag);

/// <summary>What the file store's upload URL answers once it holds the bytes.</summary>
public sealed record UploadReceipt(long SizeBytes, string Sha256);

/// <summary>The 202 answer for a page image not rendered yet: ask again after the Retry-After header's seconds.</summary>
public sealed record PageRendering(string Status, string Detail);

public static class DocumentResponseExtensions
{
    /// <summary>Whether the API offers the caller <paramref name="action"/> (one of <see cref="DocumentActions"/>) on this document now.</summary>
    public static bool Allows(this DocumentResponse document, string action) => document.Actions.Contains(action);
}

/// <summary>
/// One action on several documents (up to <see cref="ApiLimits.MaxIdsPerRequest"/>): each is done on its own, so one
/// refused does not stop the others, and the answer says how each went.
/// </summary>
/// <param name="Action">One of <see cref="BulkActions"/>.</param>
/// <param name="Tags">For <see cref="BulkActions.Tag"/>: the tags to add to each document's.</param>
public sealed record BulkRequest(string? Action, IReadOnlyList<Guid>? Ids, string[]? Tags);

/// <summary>How each document of a bulk action went, in the order asked.</summary>
public sealed record BulkResponse(int Succeeded, int Refused, IReadOnlyList<BulkItem> Items);

/// <param name="Status">What the action alone would have answered: 200, or the refusal's 4xx.</param>
/// <param name="Problem">Why it was refused, in a person's words; null when it was done.</param>
/// <param name="Document">The document as it is now, when it was done.</param>
public sealed record BulkItem(Guid Id, int Status, string? Problem, DocumentResponse? Document);

/// <summary>The actions <c>POST /api/v1/documents/bulk</c> takes.</summary>
public static class BulkActions
{
    /// <summary>Adds the request's tags to each document's.</summary>
    public const string Tag = "tag";

    /// <summary>Moves each document to the trash.</summary>
    public const string Trash = "trash";

    public static readonly string[] All = [Tag, Trash];
}
