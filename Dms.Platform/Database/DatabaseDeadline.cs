using Dms.Contracts;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Dms.Persistence;

/// <summary>
/// The longest a request waits on the database, <c>Dms:Database:Deadline</c> (10 s by default): a stalled or
/// unreachable database is then an answer (503 <c>database-unavailable</c> with <c>Retry-After</c>), never a hang.
/// Npgsql, when a command times out, asks the server to cancel it on a new connection (bounded by the connection
/// timeout) and then breaks the connection, so a command on a stalled server takes the command timeout plus twice
/// the connection timeout: a fifth of the deadline to open a connection (waiting for the pool included), and the
/// rest less a second for a command, so the database's own error comes before the request's deadline.
/// </summary>
public static class DatabaseDeadline
{
    public const string Setting = DatabaseNames.DeadlineSetting;
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Shortest = TimeSpan.FromSeconds(5);

    public static TimeSpan Read(IConfiguration configuration)
    {
        var value = configuration[Setting];
        if (value is null)
        {
            return Default;
        }

        return TimeSpan.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var deadline) && deadline >= Shortest && deadline <= TimeSpan.FromMinutes(10)
            ? deadline
            : throw new InvalidOperationException($"{Setting} must be a time span between {Shortest} and 00:10:00, not '{value}'.");
    }

    public static void Apply(NpgsqlConnectionStringBuilder connection, TimeSpan deadline)
    {
        var open = Math.Max(1, (int)deadline.TotalSeconds / 5);
        connection.Timeout = open;
        connection.CommandTimeout = (int)deadline.TotalSeconds - 1 - 2 * open;
        // No wait for the cancelled command's answer: the connection is broken at once.
        connection.CancellationTimeout = -1;
    }
}
