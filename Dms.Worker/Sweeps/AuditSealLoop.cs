using Dms.Audit;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Sweeps;

/// <summary>
/// Extends every tenant's audit chain every <see cref="AuditOptions.SealInterval"/> (<see cref="AuditChain.SealAsync"/>),
/// once an hour deletes the events past their plan's retention (<see cref="AuditChain.PruneAsync"/>), and, where an
/// archive is configured, copies the new links to it every <see cref="AuditOptions.ArchiveInterval"/> (<see cref="AuditArchiver"/>):
/// the first copy at start, so a worker that restarts daily still writes one.
/// </summary>
public sealed partial class AuditSealLoop(IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditSealLoop> logger)
    : BackgroundService
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SealInterval, time);
        var pruneDue = time.GetUtcNow();
        var archiveDue = time.GetUtcNow();
        // Events of transactions below this were sealed by the passes before (0: look at every event once, at start).
        var since = 0L;
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var chain = scope.ServiceProvider.GetRequiredService<AuditChain>();
                (_, since) = await chain.SealAsync(since, stoppingToken);
                if (time.GetUtcNow() >= pruneDue)
                {
                    pruneDue = time.GetUtcNow() + PruneInterval;
                    if (await chain.PruneAsync(options.Value, time.GetUtcNow(), stoppingToken) is > 0 and var pruned)
                    {
                        LogPruned(logger, pruned);
                    }
                }

                if (time.GetUtcNow() >= archiveDue && scope.ServiceProvider.GetService<AuditArchiver>() is { } archiver)
                {
                    var (written, failed) = await archiver.ArchiveAsync(stoppingToken);
                    foreach (var file in written)
                    {
                        LogArchived(logger, file.ToPosition - file.FromPosition + 1, file.TenantId, file.Key);
                    }

                    // A copy that failed (storage away for a while) is tried again within the hour, not the next day.
                    archiveDue = time.GetUtcNow() + (failed > 0 ? TimeSpan.FromTicks(Math.Min(options.Value.ArchiveInterval.Ticks, PruneInterval.Ticks)) : options.Value.ArchiveInterval);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next turn seals what this one could not: nothing is lost, the chain is only later.
                LogSealFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {pruned} audit events past their tenants' retention")]
    private static partial void LogPruned(ILogger logger, long pruned);

    [LoggerMessage(Level = LogLevel.Information, Message = "Archived {links} audit links of tenant {tenantId} as {key}")]
    private static partial void LogArchived(ILogger logger, long links, Guid tenantId, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not seal the audit chains: {error}")]
    private static partial void LogSealFailed(ILogger logger, string error);
}
