using System.Threading.Channels;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
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

/// <summary>
/// Writes <see cref="AuditReadQueue"/>'s events in batches, trying a batch again while the database is away; at
/// shutdown, tries once more to write what is left, and says what it could not.
/// </summary>
public sealed partial class AuditReadWriter(
    AuditReadQueue queue, IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditReadWriter> logger) : BackgroundService
{
    private const int BatchSize = 1000;

    /// <summary>Events taken from the queue and not yet written.</summary>
    private readonly List<AuditEvent> _batch = new(BatchSize);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(options.Value.FlushInterval, time, stoppingToken);
                while (Take())
                {
                    for (var attempt = 1; !await TryWriteAsync(stoppingToken); attempt++)
                    {
                        // The database is away: the queue holds the reads meanwhile (and makes them wait when full).
                        await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 10)), time, stoppingToken);
                    }
                }
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
        while (_batch.Count > 0 || Take())
        {
            if (!await TryWriteAsync(cancellationToken))
            {
                var lost = _batch.Count;
                while (queue.Reader.TryRead(out _))
                {
                    lost++;
                }

                LogLostAtShutdown(logger, lost);
                return;
            }
        }
    }

    /// <summary>Fills the batch from the queue (when it is empty); false when there is nothing to write.</summary>
    private bool Take()
    {
        while (_batch.Count < BatchSize && queue.Reader.TryRead(out var audit))
        {
            _batch.Add(audit);
        }

        return _batch.Count > 0;
    }

    private async Task<bool> TryWriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DmsDbContext>();
            await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
            await InsertAsync(db, _batch, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _batch.Clear();
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogWriteFailed(logger, _batch.Count, e.Message);
            return false;
        }
    }

    /// <summary>
    /// The batch in one statement, its columns as arrays (<c>unnest</c>): no change tracking and no ids read back, which
    /// through EF Core cost the api more than the reads themselves. (<c>COPY</c> would be cheaper still, but PostgreSQL
    /// refuses it into a table under row-level security.)
    /// </summary>
    private static Task InsertAsync(DmsDbContext db, List<AuditEvent> batch, CancellationToken cancellationToken)
    {
        var tenants = batch.Select(e => e.TenantId).ToArray();
        var times = batch.Select(e => e.OccurredAt).ToArray();
        var actions = batch.Select(e => e.Action).ToArray();
        var kinds = batch.Select(e => e.ActorKind).ToArray();
        var actors = batch.Select(e => e.ActorId).ToArray();
        var names = batch.Select(e => e.ActorName).ToArray();
        var addresses = batch.Select(e => e.ClientAddress).ToArray();
        var agents = batch.Select(e => e.UserAgent).ToArray();
        var documents = batch.Select(e => e.DocumentId).ToArray();
        var versions = batch.Select(e => e.Version).ToArray();
        var outcomes = batch.Select(e => e.Outcome).ToArray();
        var details = batch.Select(e => e.Details).ToArray();
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO audit_events (tenant_id, occurred_at, action, actor_kind, actor_id, actor_name, client_address, user_agent, document_id, version, outcome, details)
            SELECT t, o, a, k, i, n, c, u, d, v, r, x::jsonb
            FROM unnest({tenants}, {times}, {actions}, {kinds}, {actors}, {names}, {addresses}, {agents}, {documents}, {versions}, {outcomes}, {details})
                AS e(t, o, a, k, i, n, c, u, d, v, r, x)
            """, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {count} audit events of reads yet, trying again: {error}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping with the database unreachable: {count} audit events of reads were not written")]
    private static partial void LogLostAtShutdown(ILogger logger, int count);
}
