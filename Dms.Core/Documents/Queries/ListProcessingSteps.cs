using Dms.Common;
using Dms.Persistence;
using Dms.Processing;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

/// <summary>What each pipeline step did to the current version of a document, in the order the steps run.</summary>
public sealed class ListProcessingSteps(DmsDbContext db, DocumentReads reads)
{
    public Task<Outcome<IReadOnlyList<ProcessingStep>>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) =>
        reads.ReadAsync<IReadOnlyList<ProcessingStep>>(tenantId, documentId, async document =>
        {
            var steps = await db.ProcessingSteps.AsNoTracking()
                .Where(s => s.DocumentId == documentId && s.Version == document.CurrentVersion)
                .ToListAsync(cancellationToken);
            return steps.OrderBy(s => s.Step).ToList();
        }, cancellationToken);
}
