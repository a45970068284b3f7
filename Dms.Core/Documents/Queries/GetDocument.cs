using Dms.Contracts.Http;
using Dms.Common;

namespace Dms.Documents.Queries;

/// <summary>One of the tenant's documents.</summary>
public sealed class GetDocument(DocumentReads reads)
{
    public Task<Outcome<Document>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) =>
        reads.ReadAsync(tenantId, documentId, AuditActions.DocumentViewed, document => Task.FromResult<Outcome<Document>>(document), cancellationToken);
}
