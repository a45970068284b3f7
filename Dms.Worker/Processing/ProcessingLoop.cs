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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(logger, options.Value.PollInterval);
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<DmsDbContext>();
                var queued = await db.Documents.CountAsync(d => d.Status == DocumentStatus.Queued, stoppingToken);
                heartbeat.Beat(time.GetUtcNow(), queued);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database outage must not end the loop: the heartbeat goes stale and the health check says so.
                heartbeat.Fail(e.Message);
                LogTurnFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Processing loop started, polling every {PollInterval}")]
    private static partial void LogStarted(ILogger logger, TimeSpan pollInterval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Processing loop turn failed: {ErrorMessage}")]
    private static partial void LogTurnFailed(ILogger logger, string errorMessage);
}
