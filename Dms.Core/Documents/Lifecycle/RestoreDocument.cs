using Dms.Common;
using Dms.Contracts.Http;
using Dms.Persistence;

namespace Dms.Documents.Lifecycle;

/// <summary>Takes a document out of the trash; one the pipeline had when it was trashed is queued again.</summary>
public sealed class RestoreDocument(DmsDbContext db, DocumentChanges changes, TimeProvider time)
{
    public Task<Outcome<Document>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) =>
        changes.ApplyAsync(tenantId, documentId, AuditActions.Restored, document =>
        {
            if (document.Restore(time.GetUtcNow()) is { } job)
            {
                db.ProcessingJobs.Add(job);
            }
        }, cancellationToken);
}
