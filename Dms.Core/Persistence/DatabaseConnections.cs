using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Dms.Persistence;

/// <summary>
/// Opens connections so that a password rotation fails no request: when the server refuses the password (the
/// database has taken a new one that the periodic provider has not read yet) opening waits and tries again, for
/// up to twice the provider's refresh. Only where the password rotates; otherwise a refused password fails at once.
/// </summary>
public sealed class DatabaseConnections(DatabasePasswordOptions options)
{
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    public bool Rotates => options.Rotates;

    public async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = dataSource.CreateConnection();
        try
        {
            await OpenAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task OpenAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + (options.Rotates ? 2 * options.PasswordRefresh + TimeSpan.FromSeconds(2) : TimeSpan.Zero);
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidPassword && DateTime.UtcNow + pause < deadline)
            {
                await Task.Delay(pause, cancellationToken);
                pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            }
        }
    }

    /// <summary>EF Core's connections, opened the same way.</summary>
    public DbConnectionInterceptor Interceptor() => new Opening(this);

    private sealed class Opening(DatabaseConnections connections) : DbConnectionInterceptor
    {
        public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(
            DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            await connections.OpenAsync((NpgsqlConnection)connection, cancellationToken);
            return InterceptionResult.Suppress();
        }

        public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
        {
            connections.OpenAsync((NpgsqlConnection)connection, CancellationToken.None).GetAwaiter().GetResult();
            return InterceptionResult.Suppress();
        }
    }
}
