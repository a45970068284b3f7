using Dms.Operations;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dms.Documents.Uploads;

/// <summary>How an upload step ended, written as an operation event with the step's commit and counted on <c>dms.uploads</c> after it.</summary>
public sealed class UploadEvents(DmsDbContext db, UploadMetrics metrics, TimeProvider time)
{
    /// <summary>Saves what the context holds with the event, in one batch, and commits.</summary>
    public async Task CommitAsync(IDbContextTransaction transaction, Guid tenantId, string outcome, CancellationToken cancellationToken)
    {
        db.RecordEvent(tenantId, OperationEvents.Upload, outcome, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        metrics.Ended(outcome);
    }
}
