using Dms.Common;
using Dms.Contracts.Http;

namespace Dms.Documents.Lifecycle;

/// <summary>Moves a document to the trash: restorable until its tenant's retention days have passed, then purged by the sweeper.</summary>
public sealed class TrashDocument(DocumentChanges changes, TimeProvider time)
{
    public Task<Outcome<Document>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) =>
        changes.ApplyAsync(tenantId, documentId, AuditActions.Trashed, document => document.Trash(time.GetUtcNow()), cancellationToken);
}
