using Dms.Common;
using Dms.Contracts.Http;
using Dms.Documents;
using Dms.Documents.Lifecycle;

namespace Dms.Retention;

/// <summary>An admin reviewed a document flagged by its type's retention and keeps it: it is not flagged again.</summary>
public sealed class KeepPastRetention(DocumentChanges changes, TimeProvider time)
{
    public Task<Outcome<Document>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) =>
        changes.ApplyAsync(tenantId, documentId, AuditActions.RetentionKept, document => Task.FromResult(
            document.RetentionDueAt is null
                ? new Error(ErrorKind.Conflict, "not-due-for-review", "The document is not flagged for review by its type's retention.")
                : document.KeepPastRetention(time.GetUtcNow())), cancellationToken);
}
