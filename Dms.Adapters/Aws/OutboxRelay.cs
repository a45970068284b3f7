using Amazon.SQS;
using Amazon.SQS.Model;
using Dms.Adapters.Postgres;
using Dms.Contracts;
using Dms.Persistence;
using Dms.Queue;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dms.Adapters.Aws;

/// <summary>
/// The transactional outbox for SQS: the document use cases write each job as a <c>processing_jobs</c> row in the
/// same transaction as the status change, and this relay sends the rows to SQS and deletes them, in batches, the
/// moment they are committed. A crash between the send and the delete sends a job twice, which the pipeline shrugs
/// off (a job for a document that no longer wants it is dropped); a job is never lost.
/// Tenants take turns here too: each batch sends every tenant's oldest job before anyone's second (the tenant
/// relayed longest ago first), each message names its tenant as its message group (SQS fair queues serve quiet
/// groups first), and the queue is kept to <see cref="SqsQueueOptions.RelayWindow"/> waiting messages, so one
/// tenant's backlog waits here, in turn order, instead of in SQS in front of everyone else's jobs.
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource, DatabaseConnections connections, JobNotifications notifications, IAmazonSQS sqs, IOptions<QueueOptions> options, ILogger<OutboxRelay> logger)
    : BackgroundService
{
    private const int BatchSize = 10;
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WindowPause = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                switch (await RelayBatchAsync(stoppingToken))
                {
                    case Relayed.Nothing:
                        await notifications.WaitAsync(IdleWait, stoppingToken);
                        break;
                    case Relayed.WindowFull:
                        await Task.Delay(WindowPause, stoppingToken);
                        break;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The rows stay in the outbox: the next turn sends them.
                LogRelayFailed(logger, e.Message);
                await Task.Delay(ErrorPause, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public enum Relayed
    {
        Nothing,
        Some,
        WindowFull,
    }

    /// <summary>Sends one batch of jobs, in tenant turns, as far as the queue's window has room.</summary>
    public async Task<Relayed> RelayBatchAsync(CancellationToken cancellationToken)
    {
        var room = Math.Min(BatchSize, options.Value.Sqs.RelayWindow - await WaitingInQueueAsync(cancellationToken));
        if (room <= 0)
        {
            return Relayed.WindowFull;
        }

        await using var connection = await connections.OpenAsync(dataSource, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var crossTenant = new NpgsqlCommand(DatabaseNames.CrossTenantStatement, connection, transaction))
        {
            await crossTenant.ExecuteNonQueryAsync(cancellationToken);
        }

        // Each tenant's first jobs (as many as fit), ranked by their place in the tenant's line: every tenant's first
        // before anyone's second, and among equals the tenant relayed longest ago first.
        var rows = new List<(long Id, JobMessage Message)>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT id, tenant_id, document_id, version, trace_parent, pages_from FROM (
                SELECT job.*, turn.served_at, row_number() OVER (PARTITION BY job.tenant_id ORDER BY job.id) AS place
                FROM (SELECT t.id, q.served_at FROM tenants t LEFT JOIN queue_turns q ON q.tenant_id = t.id) AS turn
                CROSS JOIN LATERAL (
                    SELECT j.id, j.tenant_id, j.document_id, j.version, j.trace_parent, j.pages_from FROM processing_jobs j
                    WHERE j.tenant_id = turn.id ORDER BY j.id LIMIT $1 FOR UPDATE SKIP LOCKED) AS job) AS ranked
            ORDER BY place, served_at NULLS FIRST, id
            LIMIT $1
            """, connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = room });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt64(0), PostgresJobQueue.ReadMessage(reader, traceParentColumn: 4)));
            }
        }

        if (rows.Count == 0)
        {
            return Relayed.Nothing;
        }

        var sent = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest
        {
            QueueUrl = options.Value.Sqs.QueueUrl,
            Entries = [.. rows.Select(r => new SendMessageBatchRequestEntry(r.Id.ToString(), SqsJobQueue.Serialize(r.Message)) { MessageGroupId = SqsJobQueue.GroupOf(r.Message) })],
        }, cancellationToken);
        var delivered = sent.Successful?.Select(s => long.Parse(s.Id)).ToArray() ?? [];
        await using (var delete = new NpgsqlCommand(
            """
            WITH sent AS (DELETE FROM processing_jobs WHERE id = ANY($1) RETURNING tenant_id)
            INSERT INTO queue_turns (tenant_id, served_at) SELECT tenant_id, clock_timestamp() FROM (SELECT DISTINCT tenant_id FROM sent) AS tenants
            ON CONFLICT (tenant_id) DO UPDATE SET served_at = excluded.served_at
            """, connection, transaction))
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = delivered });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (sent.Failed is { Count: > 0 } failed)
        {
            LogRelayFailed(logger, string.Join("; ", failed.Select(f => $"{f.Id}: {f.Message}")));
        }

        return delivered.Length > 0 ? Relayed.Some : Relayed.Nothing;
    }

    /// <summary>Messages waiting in the queue, not yet taken (SQS's approximate count).</summary>
    private async Task<int> WaitingInQueueAsync(CancellationToken cancellationToken) =>
        (await sqs.GetQueueAttributesAsync(options.Value.Sqs.QueueUrl, ["ApproximateNumberOfMessages"], cancellationToken)).ApproximateNumberOfMessages;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relaying processing jobs to SQS failed, retrying: {error}")]
    private static partial void LogRelayFailed(ILogger logger, string error);
}
