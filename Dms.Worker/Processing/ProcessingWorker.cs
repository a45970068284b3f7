using Dms.Queue;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Processing;

/// <summary>
/// The worker's consumers: each takes a job from the queue, runs <see cref="DocumentPipeline"/> on it while keeping
/// the job's lease alive, then completes it or dead-letters it. A crash leaves the job leased; when the lease runs out
/// another consumer takes it again. Beside them a monitor reads the queue's depth for the metrics and the heartbeat
/// that <see cref="ProcessingLoopHealthCheck"/> reports.
/// </summary>
public sealed partial class ProcessingWorker(
    IServiceScopeFactory scopes,
    IJobQueue queue,
    ProcessingHeartbeat heartbeat,
    ProcessingMetrics metrics,
    IOptions<ProcessingOptions> options,
    IOptions<QueueOptions> queueOptions,
    TimeProvider time,
    ILogger<ProcessingWorker> logger) : BackgroundService
{
    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(1);

    /// <summary>The first measurement runs before the worker serves <c>/health</c>, so start-up never reads as unhealthy.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarted(logger, options.Value.Concurrency);
        await MeasureAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Concurrency).Select(_ => ConsumeAsync(stoppingToken)).Append(MonitorAsync(stoppingToken)));

    private async Task MonitorAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await MeasureAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task MeasureAsync(CancellationToken cancellationToken)
    {
        try
        {
            var depth = await queue.GetDepthAsync(cancellationToken);
            metrics.QueueMeasured(depth);
            heartbeat.Beat(time.GetUtcNow(), depth);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A database outage must not end the worker: the heartbeat goes stale and the health check says so.
            heartbeat.Fail(e.Message);
            LogMeasureFailed(logger, e.Message);
        }
    }

    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await queue.TakeAsync(options.Value.PollInterval, stoppingToken) is { } job)
                {
                    await ProcessAsync(job, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The job (if any) stays leased and comes back when the lease runs out.
                LogConsumeFailed(logger, e.Message);
                await Task.Delay(ErrorPause, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task ProcessAsync(LeasedJob job, CancellationToken stoppingToken)
    {
        using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var keepingLease = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var keeper = KeepLeaseAsync(job, leaseLost, keepingLease.Token);
        PipelineOutcome outcome;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var pipeline = scope.ServiceProvider.GetRequiredService<DocumentPipeline>();
            var maxDeliveries = queueOptions.Value.MaxDeliveries;
            outcome = job.Attempt > maxDeliveries
                ? await pipeline.GiveUpAsync(job.Message, $"The worker stopped {job.Attempt - 1} times while processing this document (Dms:Queue:MaxDeliveries is {maxDeliveries}).", leaseLost.Token)
                : await pipeline.RunAsync(job.Message, leaseLost.Token);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: hand the job straight to the next worker instead of waiting for the lease to run out.
            await queue.ReleaseAsync(job, CancellationToken.None);
            return;
        }
        catch (OperationCanceledException) when (leaseLost.IsCancellationRequested)
        {
            LogLeaseLost(logger, job.Message.DocumentId);
            return;
        }
        finally
        {
            await keepingLease.CancelAsync();
            await keeper;
        }

        if (outcome.End == PipelineEnd.GaveUp)
        {
            await queue.DeadLetterAsync(job, outcome.Error!, stoppingToken);
        }
        else
        {
            await queue.CompleteAsync(job, stoppingToken);
        }

        if (outcome.End != PipelineEnd.Stale)
        {
            metrics.Completed(outcome.End == PipelineEnd.GaveUp ? "dead_lettered" : outcome.Name);
            LogProcessed(logger, job.Message.TenantId, job.Message.DocumentId, outcome.Name, outcome.Error);
        }
    }

    /// <summary>Extends the lease every third of its length; cancels the run if the lease was lost to another worker.</summary>
    private async Task KeepLeaseAsync(LeasedJob job, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(queueOptions.Value.Lease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                if (!await queue.ExtendLeaseAsync(job, stop))
                {
                    await leaseLost.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            // Could not reach the queue: the run goes on; if the lease runs out meanwhile, the queue hands the job out again.
            LogConsumeFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Processing started with {Concurrency} consumers")]
    private static partial void LogStarted(ILogger logger, int concurrency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Document {DocumentId} of tenant {TenantId} processed: {Status} {ErrorMessage}")]
    private static partial void LogProcessed(ILogger logger, Guid tenantId, Guid documentId, string status, string? errorMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease on document {DocumentId}'s job to another worker; stopped working on it")]
    private static partial void LogLeaseLost(ILogger logger, Guid documentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taking or finishing a processing job failed: {ErrorMessage}")]
    private static partial void LogConsumeFailed(ILogger logger, string errorMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the queue depth failed: {ErrorMessage}")]
    private static partial void LogMeasureFailed(ILogger logger, string errorMessage);
}
