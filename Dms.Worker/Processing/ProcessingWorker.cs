using Dms.Operations;
using Dms.Persistence;
using Dms.Processing;
using Dms.Queue;
using Dms.Worker.Previews;
using Dms.Worker.Tools;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Processing;

/// <summary>
/// The worker's consumers: each takes a job from the queue, runs <see cref="DocumentPipeline"/> on it while keeping
/// the job's lease alive, then completes it or dead-letters it. No tenant has more than
/// <see cref="ProcessingOptions.JobsPerTenant"/> of them at once (<see cref="TenantSlots"/>); a job of a tenant at its
/// limit that the queue hands out anyway is postponed. A crash leaves the job leased; when the lease runs out
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
    Npgsql.NpgsqlDataSource database,
    TimeProvider time,
    ILogger<ProcessingWorker> logger) : BackgroundService
{
    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(1);

    /// <summary>How long a job of a tenant at its limit waits before it is handed out again.</summary>
    private static readonly TimeSpan BusyTenantDelay = TimeSpan.FromSeconds(2);

    private readonly TenantSlots _slots = new(options.Value.JobsPerTenant);

    /// <summary>The first measurement runs before the worker serves <c>/health</c>, so start-up never reads as unhealthy.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarted(logger, options.Value.Concurrency);
        // What a crash left behind (page images, downloaded files) goes before the first job.
        if (WorkFolders.CleanUp(options.Value.WorkFolder) is > 0 and var removed)
        {
            LogWorkFolderEmptied(logger, removed);
        }

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
                if (await queue.TakeAsync(options.Value.PollInterval, _slots.Busy, stoppingToken) is { } job)
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
                database.ForgetConnectionsAfter(e);
                await Task.Delay(ErrorPause, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task ProcessAsync(LeasedJob job, CancellationToken stoppingToken)
    {
        using var slot = _slots.TryEnter(job.Message.TenantId);
        if (slot is null)
        {
            // The queue could not leave the tenant out (SQS): the job goes back for later, and this consumer takes
            // the next one, which may be another tenant's.
            await queue.PostponeAsync(job, BusyTenantDelay, stoppingToken);
            return;
        }

        // The document's span continues the trace of the request that queued it: API → queue → each step.
        using var span = Telemetry.StartJob("process document", job.Message.TraceParent);
        span?.SetTag("dms.document_id", job.Message.DocumentId).SetTag("dms.tenant_id", job.Message.TenantId).SetTag("dms.attempt", job.Attempt);
        using var leaseLost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var keepingLease = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var keeper = KeepLeaseAsync(job, leaseLost, keepingLease.Token);
        PipelineOutcome outcome;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var maxDeliveries = queueOptions.Value.MaxDeliveries;
            if (job.Message.Kind == JobKind.PageImages)
            {
                // Page images a reader asked for: nothing about the document changes, nothing is counted; a job that
                // stopped the worker too often is dropped (the reader's next ask queues it again).
                if (job.Attempt <= maxDeliveries)
                {
                    await scope.ServiceProvider.GetRequiredService<PageImages>().RenderAsync(job.Message, job.Message.PagesFrom!.Value, options.Value.WorkFolder, leaseLost.Token);
                }

                outcome = PipelineOutcome.Stale;
            }
            else
            {
                var pipeline = scope.ServiceProvider.GetRequiredService<DocumentPipeline>();
                outcome = job.Attempt > maxDeliveries
                    ? await pipeline.GiveUpAsync(job.Message, $"The worker stopped {job.Attempt - 1} times while processing this document (Dms:Queue:MaxDeliveries is {maxDeliveries}).", leaseLost.Token)
                    : await pipeline.RunAsync(job.Message, leaseLost.Token);
            }
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

        if (outcome.GaveUp)
        {
            await queue.DeadLetterAsync(job, outcome.Error!, stoppingToken);
        }
        else
        {
            await queue.CompleteAsync(job, stoppingToken);
        }

        if (!outcome.IsStale)
        {
            metrics.Completed(outcome.MetricName);
            // A document that cannot be read is the uploader's problem (a warning); a job that gave up is the operator's (an error).
            var level = outcome.Outcome switch { ProcessingOutcome.Ready => LogLevel.Information, ProcessingOutcome.DeadLettered => LogLevel.Error, _ => LogLevel.Warning };
            LogProcessed(logger, level, job.Message.TenantId, job.Message.DocumentId, outcome.Status, outcome.Error);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Processing started with {concurrency} consumers")]
    private static partial void LogStarted(ILogger logger, int concurrency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {count} files and folders that earlier runs left in the work folder")]
    private static partial void LogWorkFolderEmptied(ILogger logger, int count);

    /// <summary>One line per document processed, with the fields the runbook's "processing failures" query reads.</summary>
    [LoggerMessage(Message = "Document {documentId} of tenant {tenantId} processed: {status} {errorMessage}")]
    private static partial void LogProcessed(ILogger logger, LogLevel level, Guid tenantId, Guid documentId, string status, string? errorMessage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease on document {documentId}'s job to another worker; stopped working on it")]
    private static partial void LogLeaseLost(ILogger logger, Guid documentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taking or finishing a processing job failed: {error}")]
    private static partial void LogConsumeFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the queue depth failed: {error}")]
    private static partial void LogMeasureFailed(ILogger logger, string error);
}
