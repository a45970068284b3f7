using Dms.Documents;
using Dms.Storage;

namespace Dms.Api.Documents;

/// <summary>A document as the API shows it: metadata only, never extracted text.</summary>
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
    DateTimeOffset? DeletedAt)
{
    public static DocumentResponse From(Document d) => new(
        d.Id, d.Title, d.FileName, d.ContentType, d.SizeBytes, d.Sha256, DocumentStatusNames.ToName(d.Status), d.Tags,
        d.CurrentVersion, d.DuplicateOf, d.CreatedAt, d.UpdatedAt, d.DeletedAt);
}

/// <summary>A created document or version and where to send its bytes.</summary>
public sealed record UploadResponse(DocumentResponse Document, int Version, UploadInstruction Upload);

public sealed record VersionResponse(
    int Version, string FileName, string ContentType, long SizeBytes, string? Sha256, bool Uploaded, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt)
{
    public static VersionResponse From(DocumentVersion v) =>
        new(v.Version, v.FileName, v.ContentType, v.SizeBytes, v.Sha256, v.CompletedAt is not null, v.CreatedAt, v.CompletedAt);
}

public sealed record DocumentListResponse(IReadOnlyList<DocumentResponse> Documents, string? NextCursor);
