using Dms.Api.Describing;
using Dms.Api.Identity;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Documents;
using Dms.Previews;
using Dms.Processing;
using Contract = Dms.Contracts.Http;
using Storage = Dms.Storage;

namespace Dms.Api.Documents;

/// <summary>Core's documents, versions, steps and uploads as the HTTP contract (<see cref="Contract"/>) says them.</summary>
public static class DocumentAnswers
{
    /// <summary>A document as <paramref name="caller"/> sees it, with what they may do; with no caller, as an operator (who repairs, never edits).</summary>
    /// <param name="mayEdit">
    /// Whether the caller may change a restricted document (<see cref="Permissions.DocumentAccess"/>); when not said,
    /// only its owner and the admins are taken to.
    /// </param>
    public static DocumentResponse ToResponse(this Document d, Caller? caller, bool? mayEdit = null) => new(
        d.Id, d.Title, d.FileName, d.ContentType, d.SizeBytes, d.Sha256, SnakeCaseNames<DocumentStatus>.ToName(d.Status), d.Tags,
        d.CurrentVersion, d.DuplicateOf, d.CreatedAt, d.UpdatedAt, d.DeletedAt, d.FailureReason, ActionsOn(d, caller, mayEdit),
        Previewable: d.Status == DocumentStatus.Ready && PreviewTypes.Renders(d.ContentType),
        d.DocumentTypeId, d.CorrespondentId, d.DocumentDate, d.FieldValues.OrderBy(v => v.FieldId).Select(v => v.ToItem()).ToList(), d.SuggestedDate,
        d.Restricted, d.RetentionDueAt);

    /// <summary>Whether the caller owns the document themselves or administers the tenant (a group's members learn it from its permissions).</summary>
    public static bool Manages(this Document d, Caller caller) => caller.Administers || (d.OwnerUserId is { } owner && owner == caller.Subject);

    /// <summary>
    /// The routes that would take the request now: editors and admins edit, upload versions, trash and restore (a
    /// restricted document: those its permissions let change it); admins also purge and reprocess; the owner and
    /// admins change its permissions; an operator trashes, restores, purges and reprocesses through the operator routes.
    /// </summary>
    private static List<string> ActionsOn(Document d, Caller? caller, bool? mayEdit)
    {
        var (writes, administers) = caller is null ? (false, true) : (caller.Writes && (!d.Restricted || (mayEdit ?? d.Manages(caller))), caller.Administers);
        var trashed = d.Status == DocumentStatus.Deleted;
        var actions = new List<string>();
        if (writes && !trashed)
        {
            actions.Add(DocumentActions.Edit);
        }

        if (writes && d.RefusesUpload() is null)
        {
            actions.Add(DocumentActions.NewVersion);
        }

        if ((writes || caller is null) && !trashed)
        {
            actions.Add(DocumentActions.Trash);
        }

        if ((writes || caller is null) && trashed)
        {
            actions.Add(DocumentActions.Restore);
        }

        if (administers)
        {
            actions.Add(DocumentActions.Purge);
        }

        if (administers && DocumentStatusTable.Allows(d.Status, DocumentStatus.Queued, DocumentTrigger.Reprocess))
        {
            actions.Add(DocumentActions.Reprocess);
        }

        if (caller is not null && caller.Writes && d.Manages(caller) && !trashed)
        {
            actions.Add(DocumentActions.Permissions);
        }

        return actions;
    }

    public static ProcessingStepResponse ToResponse(this ProcessingStep s) => new(
        s.Version, SnakeCaseNames<StepName>.ToName(s.Step), SnakeCaseNames<StepOutcome>.ToName(s.Outcome), s.Attempt, s.DurationMs, s.Detail, s.Error, s.FinishedAt);

    public static DocumentTextResponse ToResponse(this Dms.Documents.DocumentText t) => new(t.Version, t.Text, t.Pages, t.OcrPages, t.ExtractedAt);

    public static VersionResponse ToResponse(this Dms.Documents.DocumentVersion v) => new(
        v.Version, v.FileName, v.ContentType, v.SizeBytes, v.Sha256, v.CompletedAt is not null, SnakeCaseNames<ScanVerdict>.ToName(v.ScanVerdict), v.CreatedAt,
        v.CompletedAt, Downloadable: v.CompletedAt is not null && v.RefusesReading() is null);

    public static UploadResponse ToResponse(this Dms.Documents.Uploads.PendingUpload pending, Caller caller) =>
        new(pending.Document.ToResponse(caller), pending.Version.Version, pending.Upload.ToContract());

    public static Contract.UploadInstruction ToContract(this Storage.UploadInstruction upload) => new(
        upload.Url, upload.Method, upload.Headers, upload.ExpiresAt,
        upload.Parts?.Select(p => new Contract.UploadPart(p.PartNumber, p.Url, p.Offset, p.SizeBytes)).ToList());

    public static List<Storage.CompletedPart>? ToStorage(this IReadOnlyList<Contract.CompletedPart>? parts) =>
        parts?.Select(p => new Storage.CompletedPart(p.PartNumber, p.ETag)).ToList();
}
