using Npgsql;

namespace Dms.Persistence;

/// <summary>
/// The database went away (restarted, failed over, killed): the connections in the pool broke with it, and Npgsql
/// hands out a pooled connection without checking it, so each could fail one more request after the database is back
/// (seen in a full run: the first request after a restart answered 503). On a failure that says the database went
/// away, the pool's idle connections are dropped: after the restart, requests open new ones.
/// </summary>
public static class DatabaseOutages
{
    /// <summary>A failure of the connection, not of the statement: the database is unreachable or was restarted.</summary>
    public static bool IsOutage(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } => true,
        // The same, from a query outside a transaction (a tenant read): EF Core's execution strategy wraps it.
        InvalidOperationException { InnerException: NpgsqlException { IsTransient: true } } => true,
        _ => false,
    };

    /// <summary>Drops the pool's idle connections when <paramref name="exception"/> says the database went away.</summary>
    public static void ForgetConnectionsAfter(this NpgsqlDataSource dataSource, Exception exception)
    {
        if (IsOutage(exception))
        {
            dataSource.Clear();
        }
    }
}
