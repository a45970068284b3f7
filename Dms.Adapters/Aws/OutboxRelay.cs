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
/// </summary>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource, DatabaseConnections connections, JobNotifications notifications, IAmazonSQS sqs, IOptions<QueueOptions> options, ILogger<OutboxRelay> logger)
    : BackgroundService
{
    private const int BatchSize = 10;
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ErrorPause = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RelayBatchAsync(stoppingToken) == 0)
                {
                    await notifications.WaitAsync(IdleWait, stoppingToken);
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

    /// <returns>How many jobs went to the queue.</returns>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(dataSource, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var crossTenant = new NpgsqlCommand(DatabaseNames.CrossTenantStatement, connection, transaction))
        {
            await crossTenant.ExecuteNonQueryAsync(cancellationToken);
        }

        var rows = new List<(long Id, JobMessage Message)>();
        await using (var select = new NpgsqlCommand(
            "SELECT id, tenant_id, document_id, version, trace_parent FROM processing_jobs ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED", connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt64(0), PostgresJobQueue.ReadMessage(reader, traceParentColumn: 4)));
            }
        }

        if (rows.Count == 0)
        {
            return 0;
        }

        var sent = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest
        {
            QueueUrl = options.Value.Sqs.QueueUrl,
            Entries = [.. rows.Select(r => new SendMessageBatchRequestEntry(r.Id.ToString(), SqsJobQueue.Serialize(r.Message)))],
        }, cancellationToken);
        var delivered = sent.Successful?.Select(s => long.Parse(s.Id)).ToArray() ?? [];
        await using (var delete = new NpgsqlCommand("DELETE FROM processing_jobs WHERE id = ANY($1)", connection, transaction))
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = delivered });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (sent.Failed is { Count: > 0 } failed)
        {
            LogRelayFailed(logger, string.Join("; ", failed.Select(f => $"{f.Id}: {f.Message}")));
        }

        return delivered.Length;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relaying processing jobs to SQS failed, retrying: {error}")]
    private static partial void LogRelayFailed(ILogger logger, string error);
}
