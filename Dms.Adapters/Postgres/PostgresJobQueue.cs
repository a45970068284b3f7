using System.Data.Common;
using Dms.Contracts;
using Dms.Queue;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dms.Adapters.Postgres;

/// <summary>
/// The embedded queue: the <c>processing_jobs</c> table. A worker takes the oldest available row of the tenant
/// served longest ago (<c>queue_turns</c>) with <c>FOR UPDATE SKIP LOCKED</c>, so tenants take turns and workers
/// never wait for each other, and hides it for a lease period, so a crashed
/// worker's job comes back by itself. An idle worker sleeps until <see cref="JobNotifications"/> says a job was
/// committed, or until the next hidden job falls due (a lease running out), whichever comes first. Every statement declares itself cross-tenant: the queue serves all tenants.
/// </summary>
public sealed class PostgresJobQueue(NpgsqlDataSource dataSource, JobNotifications notifications, IOptions<QueueOptions> options) : IJobQueue
{
    private static readonly TimeSpan MinimumSleep = TimeSpan.FromMilliseconds(20);

    public async Task<LeasedJob?> TakeAsync(TimeSpan wait, IReadOnlyCollection<Guid> busyTenants, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + wait;
        var busy = busyTenants.ToArray();
        while (true)
        {
            if (await TryTakeAsync(busy, cancellationToken) is { } job)
            {
                return job;
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            // A job that is due but was skipped is locked by another worker taking it right now: look again shortly.
            var nextDue = await NextDueAsync(busy, cancellationToken);
            var sleep = nextDue is { } due && due < remaining ? TimeSpan.FromTicks(Math.Max(due.Ticks, MinimumSleep.Ticks)) : remaining;
            await notifications.WaitAsync(sleep, cancellationToken);
        }
    }

    public async Task<bool> ExtendLeaseAsync(LeasedJob job, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "UPDATE processing_jobs SET available_at = clock_timestamp() + $3 WHERE id = $1 AND lease_token = $2",
            cancellationToken, long.Parse(job.Id), Guid.Parse(job.Lease), options.Value.Lease) == 1;

    public Task CompleteAsync(LeasedJob job, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM processing_jobs WHERE id = $1 AND lease_token = $2", cancellationToken, long.Parse(job.Id), Guid.Parse(job.Lease));

    public Task ReleaseAsync(LeasedJob job, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE processing_jobs SET available_at = clock_timestamp(), lease_token = NULL WHERE id = $1 AND lease_token = $2",
            cancellationToken, long.Parse(job.Id), Guid.Parse(job.Lease));

    public Task PostponeAsync(LeasedJob job, TimeSpan delay, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE processing_jobs SET available_at = clock_timestamp() + $3, lease_token = NULL, attempts = attempts - 1 WHERE id = $1 AND lease_token = $2",
            cancellationToken, long.Parse(job.Id), Guid.Parse(job.Lease), delay);

    public Task DeadLetterAsync(LeasedJob job, string error, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE processing_jobs SET dead_lettered_at = clock_timestamp(), last_error = left($3, 2000), lease_token = NULL WHERE id = $1 AND lease_token = $2",
            cancellationToken, long.Parse(job.Id), Guid.Parse(job.Lease), error);

    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int limit, CancellationToken cancellationToken)
    {
        var letters = new List<DeadLetter>();
        await using var reader = await QueryAsync(
            """
            SELECT id, tenant_id, document_id, version, attempts, last_error, dead_lettered_at, trace_parent, pages_from FROM processing_jobs
            WHERE dead_lettered_at IS NOT NULL ORDER BY dead_lettered_at, id LIMIT $1
            """, cancellationToken, limit);
        while (await reader.ReadAsync(cancellationToken))
        {
            letters.Add(new DeadLetter(
                reader.GetInt64(0).ToString(),
                ReadMessage(reader, traceParentColumn: 7),
                reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return letters;
    }

    public Task<int> RedriveAsync(string? id, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            UPDATE processing_jobs SET dead_lettered_at = NULL, attempts = 0, last_error = NULL, lease_token = NULL, available_at = clock_timestamp()
            WHERE dead_lettered_at IS NOT NULL AND ($1::bigint IS NULL OR id = $1)
            """, cancellationToken, ParseId(id));

    public Task<int> PurgeAsync(string? id, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM processing_jobs WHERE dead_lettered_at IS NOT NULL AND ($1::bigint IS NULL OR id = $1)", cancellationToken, ParseId(id));

    public async Task<QueueDepth> GetDepthAsync(CancellationToken cancellationToken)
    {
        await using var reader = await QueryAsync(
            "SELECT count(*) FILTER (WHERE dead_lettered_at IS NULL), count(*) FILTER (WHERE dead_lettered_at IS NOT NULL) FROM processing_jobs",
            cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new QueueDepth(reader.GetInt64(0), reader.GetInt64(1));
    }

    private async Task<LeasedJob?> TryTakeAsync(Guid[] busyTenants, CancellationToken cancellationToken)
    {
        // Tenants in turn order (never served first), each one's oldest available job, the first found taken; within
        // a tenant, page images a reader is waiting for come before its pipeline's backlog (COALESCE asks for the
        // backlog only when no such job is there). The sorted subquery is not flattened, so the lateral probes tenants
        // one by one and stops at the first job.
        await using var reader = await QueryAsync(
            """
            WITH next AS (
                SELECT job.id, turn.id AS tenant_id
                FROM (SELECT t.id FROM tenants t LEFT JOIN queue_turns q ON q.tenant_id = t.id
                      WHERE t.id <> ALL($2) ORDER BY q.served_at NULLS FIRST, t.id) AS turn
                CROSS JOIN LATERAL (
                    SELECT COALESCE(
                        (SELECT j.id FROM processing_jobs j
                         WHERE j.tenant_id = turn.id AND j.dead_lettered_at IS NULL AND j.pages_from IS NOT NULL
                           AND j.available_at <= clock_timestamp()
                         ORDER BY j.available_at, j.id LIMIT 1 FOR UPDATE SKIP LOCKED),
                        (SELECT j.id FROM processing_jobs j
                         WHERE j.tenant_id = turn.id AND j.dead_lettered_at IS NULL AND j.available_at <= clock_timestamp()
                         ORDER BY j.available_at, j.id LIMIT 1 FOR UPDATE SKIP LOCKED)) AS id) AS job
                WHERE job.id IS NOT NULL
                LIMIT 1),
            served AS (
                INSERT INTO queue_turns (tenant_id, served_at) SELECT tenant_id, clock_timestamp() FROM next
                ON CONFLICT (tenant_id) DO UPDATE SET served_at = excluded.served_at)
            UPDATE processing_jobs SET attempts = attempts + 1, lease_token = gen_random_uuid(), available_at = clock_timestamp() + $1
            WHERE id = (SELECT id FROM next)
            RETURNING id, tenant_id, document_id, version, attempts, lease_token, trace_parent, pages_from
            """, cancellationToken, options.Value.Lease, busyTenants);
        return await reader.ReadAsync(cancellationToken)
            ? new LeasedJob(
                reader.GetInt64(0).ToString(),
                ReadMessage(reader, traceParentColumn: 6),
                reader.GetInt32(4),
                reader.GetGuid(5).ToString())
            : null;
    }

    /// <summary>A job row's message: tenant, document and version in columns 1 to 3, its trace context, then its first page to render.</summary>
    internal static JobMessage ReadMessage(System.Data.Common.DbDataReader reader, int traceParentColumn) =>
        new(reader.GetGuid(1), reader.GetGuid(2), reader.GetInt32(3),
            reader.IsDBNull(traceParentColumn) ? null : reader.GetString(traceParentColumn),
            reader.IsDBNull(traceParentColumn + 1) ? null : reader.GetInt32(traceParentColumn + 1));

    /// <summary>How long until the earliest hidden job of a tenant not busy becomes available again; null when there is none.</summary>
    private async Task<TimeSpan?> NextDueAsync(Guid[] busyTenants, CancellationToken cancellationToken)
    {
        await using var reader = await QueryAsync(
            "SELECT min(available_at) - clock_timestamp() FROM processing_jobs WHERE dead_lettered_at IS NULL AND tenant_id <> ALL($1)",
            cancellationToken, busyTenants);
        await reader.ReadAsync(cancellationToken);
        return reader.IsDBNull(0) ? null : reader.GetFieldValue<TimeSpan>(0);
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var batch = CrossTenantBatch(sql, parameters);
        await using var connection = batch.Connection!;
        await connection.OpenAsync(cancellationToken);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return batch.BatchCommands[1].RecordsAffected;
    }

    /// <summary>
    /// Runs <paramref name="sql"/> and returns its rows; the reader closes the connection when disposed. A statement
    /// that fails (cancelled, timed out, refused) closes it here: a pooled connection kept by each failure would, after
    /// as many failures as the pool's size, leave every consumer of the worker waiting for a connection for good.
    /// </summary>
    private async Task<DbDataReader> QueryAsync(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var batch = CrossTenantBatch(sql, parameters);
        var connection = batch.Connection!;
        DbDataReader? reader = null;
        try
        {
            await connection.OpenAsync(cancellationToken);
            reader = await batch.ExecuteReaderAsync(System.Data.CommandBehavior.CloseConnection, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            return reader;
        }
        catch
        {
            if (reader is not null)
            {
                await reader.DisposeAsync();
            }

            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The statement after a cross-tenant declaration, sent together: one round trip, one implicit transaction, so
    /// the local setting holds for exactly this statement.
    /// </summary>
    private NpgsqlBatch CrossTenantBatch(string sql, object?[] parameters)
    {
        var batch = new NpgsqlBatch(dataSource.CreateConnection());
        batch.BatchCommands.Add(new NpgsqlBatchCommand(DatabaseNames.CrossTenantStatement));
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        }

        batch.BatchCommands.Add(command);
        return batch;
    }

    private static long? ParseId(string? id) => id is null ? null : long.TryParse(id, out var value) ? value : -1;
}
