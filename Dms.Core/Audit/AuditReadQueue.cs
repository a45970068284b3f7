using System.Threading.Channels;
using Dms.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dms.Audit;

/// <summary>
/// The events of reads (and of calls made outside a transaction) on their way to the database: a read adds its event
/// here and answers at once; <see cref="AuditReadWriter"/> writes what has gathered every
/// <see cref="AuditOptions.FlushInterval"/>, many rows per statement. The queue is bounded: when the database cannot
/// keep up, reads wait for room rather than go unrecorded. What a process had not yet written when it crashed is
/// lost (at most one interval's reads); changes are never queued, they commit with their event.
/// </summary>
public sealed class AuditReadQueue(IOptions<AuditOptions> options)
{
    private readonly Channel<AuditEvent> _events = Channel.CreateBounded<AuditEvent>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ValueTask EnqueueAsync(AuditEvent audit) =>
        _events.Writer.TryWrite(audit) ? ValueTask.CompletedTask : _events.Writer.WriteAsync(audit);

    internal ChannelReader<AuditEvent> Reader => _events.Reader;

    internal void Complete() => _events.Writer.TryComplete();
}

/// <summary>Writes <see cref="AuditReadQueue"/>'s events in batches; at shutdown, writes what is left.</summary>
public sealed partial class AuditReadWriter(
    AuditReadQueue queue, IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditReadWriter> logger) : BackgroundService
{
    private const int BatchSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(options.Value.FlushInterval, time, stoppingToken);
                await WriteWaitingAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        queue.Complete();
        await WriteWaitingAsync(cancellationToken);
    }

    private async Task WriteWaitingAsync(CancellationToken cancellationToken)
    {
        var batch = new List<AuditEvent>(BatchSize);
        while (true)
        {
            batch.Clear();
            while (batch.Count < BatchSize && queue.Reader.TryRead(out var audit))
            {
                batch.Add(audit);
            }

            if (batch.Count == 0)
            {
                return;
            }

            await WriteAsync(batch, cancellationToken);
        }
    }

    /// <summary>Tries a batch until it is written: a database that went away comes back, and the queue holds the reads until then.</summary>
    private async Task WriteAsync(List<AuditEvent> batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<DmsDbContext>();
                await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
                db.AuditEvents.AddRange(batch);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogWriteFailed(logger, batch.Count, e.Message);
                foreach (var audit in batch)
                {
                    audit.Id = 0;
                }

                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), time, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {count} audit events of reads yet, trying again: {error}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string error);
}
