using Dms.Common;
using Dms.Persistence;
using Dms.Processing;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

/// <summary>What each pipeline step did to the current version of a document.</summary>
public sealed class ListProcessingSteps(DmsDbContext db)
{
    public async Task<Outcome<IReadOnlyList<ProcessingStep>>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.ReadDocumentAsync(documentId, cancellationToken) is not { } document)
        {
            return DocumentErrors.NotFound;
        }

        var steps = await db.ProcessingSteps.AsNoTracking()
            .Where(s => s.DocumentId == documentId && s.Version == document.CurrentVersion)
            .ToListAsync(cancellationToken);
        return steps.OrderBy(s => s.Step).ToList();
    }
}
