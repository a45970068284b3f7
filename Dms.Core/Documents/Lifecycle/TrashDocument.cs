using Dms.Common;
using Dms.Holds;
using Dms.Persistence;
using Dms.Contracts.Http;

namespace Dms.Documents.Lifecycle;

/// <summary>Moves a document to the trash: restorable until its tenant's retention days have passed, then purged by the sweeper.</summary>
public sealed class TrashDocument(DmsDbContext db, DocumentChanges changes, TimeProvider time)
{
    public Task<Outcome<Document>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) =>
        changes.ApplyAsync(tenantId, documentId, AuditActions.Trashed, async document =>
        {
            if (await HoldRules.RefusalAsync(db, documentId, "moved to the trash", cancellationToken) is { } held)
            {
                return held;
            }

            document.Trash(time.GetUtcNow());
            return null;
        }, cancellationToken);
}
