using Dms.Contracts;
using Dms.Persistence;
using Npgsql;

namespace Dms.Adapters.Aws;

/// <summary>
/// The jobs written to the outbox that <see cref="OutboxRelay"/> has not sent to SQS yet. They wait as surely as the
/// messages in the queue do, and the relay keeps SQS to a window, so a backlog mostly waits here: the queue's depth
/// counts both, and the worker scales on it.
/// </summary>
public sealed class OutboxBacklog(NpgsqlDataSource dataSource, DatabaseConnections connections)
{
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(dataSource, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var crossTenant = new NpgsqlCommand(DatabaseNames.CrossTenantStatement, connection, transaction))
        {
            await crossTenant.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var count = new NpgsqlCommand("SELECT count(*) FROM processing_jobs", connection, transaction);
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }
}
