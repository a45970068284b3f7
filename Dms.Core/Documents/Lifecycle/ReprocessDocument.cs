using Dms.Common;
using Dms.Contracts.Http;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Lifecycle;

/// <summary>
/// Runs the pipeline again on the current version (after a fix, a new scanner signature, a better OCR): its
/// earlier step records and text go, and a new job is queued, in one transaction.
/// </summary>
public sealed class ReprocessDocument(DmsDbContext db, DocumentChanges changes, TimeProvider time)
{
    public Task<Outcome<Document>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) =>
        changes.ApplyAsync(tenantId, documentId, AuditActions.Reprocessed, async document =>
        {
            var queued = document.Reprocess(time.GetUtcNow());
            if (queued.Error is { } refused)
            {
                return refused;
            }

            await db.ProcessingSteps.Where(s => s.DocumentId == documentId && s.Version == document.CurrentVersion).ExecuteDeleteAsync(cancellationToken);
            await db.DocumentTexts.Where(t => t.DocumentId == documentId && t.Version == document.CurrentVersion).ExecuteDeleteAsync(cancellationToken);
            db.ProcessingJobs.Add(queued.Value!);
            return null;
        }, cancellationToken);
}
