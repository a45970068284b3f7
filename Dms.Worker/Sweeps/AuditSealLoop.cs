using Dms.Audit;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Sweeps;

/// <summary>
/// Extends every tenant's audit chain every <see cref="AuditOptions.SealInterval"/> (<see cref="AuditChain.SealAsync"/>),
/// and once an hour deletes the events past their plan's retention (<see cref="AuditChain.PruneAsync"/>).
/// </summary>
public sealed partial class AuditSealLoop(IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditSealLoop> logger)
    : BackgroundService
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SealInterval, time);
        var pruneDue = time.GetUtcNow();
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not seal the audit chains: {error}")]
    private static partial void LogSealFailed(ILogger logger, string error);
}
