using Dms.Data;
using Dms.Documents;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Processing;

/// <summary>
/// The worker's main loop. Each turn it reads how many documents wait for processing and records a heartbeat that
/// <see cref="ProcessingLoopHealthCheck"/> reports; the pipeline steps plug in here.
/// </summary>
public sealed partial class ProcessingLoop(
    IServiceScopeFactory scopes,
    ProcessingHeartbeat heartbeat,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
    ILogger<ProcessingLoop> logger) : BackgroundService
{
    /// <summary>
    /// The first turn runs before the worker starts serving <c>/health</c>, so start-up is never reported as a failed
    /// health check.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarted(logger, options.Value.PollInterval);
        await RunTurnAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RunTurnAsync(stoppingToken);
        }
    }

    private async Task RunTurnAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DmsDbContext>();
            // The worker serves every tenant: it says so, or row-level security shows it no rows at all.
            await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
            var queued = await db.Documents.CountAsync(d => d.Status == DocumentStatus.Queued, cancellationToken);
            heartbeat.Beat(time.GetUtcNow(), queued);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A database outage must not end the loop: the heartbeat goes stale and the health check says so.
            heartbeat.Fail(e.Message);
            LogTurnFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Processing loop started, polling every {PollInterval}")]
    private static partial void LogStarted(ILogger logger, TimeSpan pollInterval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Processing loop turn failed: {ErrorMessage}")]
    private static partial void LogTurnFailed(ILogger logger, string errorMessage);
}
