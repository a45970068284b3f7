using Dms.Operations;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore.Storage;

namespace Dms.Documents.Uploads;

/// <summary>How an upload step ended, written as an operation event with the step's commit and counted on <c>dms.uploads</c> after it.</summary>
public sealed class UploadEvents(DmsDbContext db, UploadMetrics metrics, TimeProvider time)
{
    public async Task CommitAsync(IDbContextTransaction transaction, Guid tenantId, string outcome, CancellationToken cancellationToken)
    {
        await RecordAsync(tenantId, outcome, cancellationToken);
        await CommitRecordedAsync(transaction, outcome, cancellationToken);
    }

    /// <summary>Writes the event in the step's transaction; <see cref="CommitRecordedAsync"/> then commits it.</summary>
    public Task RecordAsync(Guid tenantId, string outcome, CancellationToken cancellationToken) =>
        db.RecordEventAsync(tenantId, OperationEvents.Upload, outcome, time.GetUtcNow(), cancellationToken);

    public async Task CommitRecordedAsync(IDbContextTransaction transaction, string outcome, CancellationToken cancellationToken)
    {
        await transaction.CommitAsync(cancellationToken);
        metrics.Ended(outcome);
    }
}
