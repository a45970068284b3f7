using Dms.Audit;
using Dms.Documents.Lifecycle;
using Dms.Holds;
using Dms.Retention;
using Dms.Tenants;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Sweeps;

/// <summary>
/// Runs on a schedule: <see cref="StorageHolds"/> (storage's legal holds follow the holds), <see cref="DocumentSweeper"/>
/// (expired upload reservations, trash past retention, old operation events) and the document types' retention
/// (<see cref="RetentionSweeper"/>), then measures each tenant's storage.
/// </summary>
public sealed partial class SweepLoop(
    IServiceScopeFactory scopes, StorageMetrics storage, IOptions<SweepOptions> options, TimeProvider time, ILogger<SweepLoop> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                // First what storage must keep: a hold lifted since the last pass is cleared before anything is purged.
                var (held, released) = await scope.ServiceProvider.GetRequiredService<StorageHolds>().MirrorAsync(stoppingToken);
                if (held + released > 0)
                {
                    LogStorageHolds(logger, held, released);
                }

                // What the sweep purges is recorded in the audit trail as the trash retention's doing.
                scope.ServiceProvider.GetRequiredService<AuditContext>().Actor = AuditActor.System("trash retention");
                var result = await scope.ServiceProvider.GetRequiredService<DocumentSweeper>().SweepAsync(stoppingToken);
                if (result.ReleasedUploads + result.PurgedDocuments > 0)
                {
                    LogSwept(logger, result.ReleasedUploads, result.PurgedDocuments);
                }

                var (trashed, flagged) = await scope.ServiceProvider.GetRequiredService<RetentionSweeper>().SweepAsync(stoppingToken);
                if (trashed + flagged > 0)
                {
                    LogRetention(logger, trashed, flagged);
                }

                storage.Measured(await scope.ServiceProvider.GetRequiredService<ListTenants>().HandleAsync(stoppingToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next turn tries again; what failed is still there to find.
                LogSweepFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep released {releasedUploads} expired upload reservations and purged {purgedDocuments} documents past retention")]
    private static partial void LogSwept(ILogger logger, int releasedUploads, int purgedDocuments);

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage now holds {held} more document versions under legal hold and released {released}")]
    private static partial void LogStorageHolds(ILogger logger, int held, int released);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention trashed {trashed} documents and flagged {flagged} for review")]
    private static partial void LogRetention(ILogger logger, int trashed, int flagged);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep failed: {error}")]
    private static partial void LogSweepFailed(ILogger logger, string error);
}
