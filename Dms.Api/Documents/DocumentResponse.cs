using Dms.Common;
using Dms.Documents;
using Dms.Processing;
using Dms.Storage;

namespace Dms.Api.Documents;

/// <summary>A document as the API shows it: metadata only; its text and processing record have their own routes.</summary>
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
    string? FailureReason)
{
    public static DocumentResponse From(Document d) => new(
        d.Id, d.Title, d.FileName, d.ContentType, d.SizeBytes, d.Sha256, SnakeCaseNames<DocumentStatus>.ToName(d.Status), d.Tags,
        d.CurrentVersion, d.DuplicateOf, d.CreatedAt, d.UpdatedAt, d.DeletedAt, d.FailureReason);
}

/// <summary>What one pipeline step did to the current version.</summary>
public sealed record ProcessingStepResponse(int Version, string Step, string Outcome, int Attempt, long DurationMs, string? Detail, string? Error, DateTimeOffset FinishedAt)
{
    public static ProcessingStepResponse From(ProcessingStep s) => new(
        s.Version, SnakeCaseNames<StepName>.ToName(s.Step), SnakeCaseNames<StepOutcome>.ToName(s.Outcome), s.Attempt, s.DurationMs, s.Detail, s.Error, s.FinishedAt);
}

public sealed record DocumentTextResponse(int Version, string Text, int Pages, int OcrPages, DateTimeOffset ExtractedAt)
{
    public static DocumentTextResponse From(DocumentText t) => new(t.Version, t.Text, t.Pages, t.OcrPages, t.ExtractedAt);
}

/// <summary>A created document or version and where to send its bytes.</summary>
public sealed record UploadResponse(DocumentResponse Document, int Version, UploadInstruction Upload);

/// <param name="ScanVerdict">none, clean, infected or skipped: only a clean (or skipped) version can be downloaded.</param>
public sealed record VersionResponse(
    int Version, string FileName, string ContentType, long SizeBytes, string? Sha256, bool Uploaded, string ScanVerdict, DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt)
{
    public static VersionResponse From(DocumentVersion v) =>
        new(v.Version, v.FileName, v.ContentType, v.SizeBytes, v.Sha256, v.CompletedAt is not null, SnakeCaseNames<ScanVerdict>.ToName(v.ScanVerdict), v.CreatedAt,
            v.CompletedAt);
}

public sealed record DocumentListResponse(IReadOnlyList<DocumentResponse> Documents, string? NextCursor);
