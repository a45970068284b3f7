using Npgsql;

namespace Dms.Persistence;

/// <summary>
/// Opens connections so that a password rotation fails no request: when the server refuses the password (the
/// database has taken a new one that its source did not hold when it was read) opening reads the source again and
/// tries again, for up to <see cref="RotationWindow"/>. Only where the password rotates; otherwise a refused password
/// fails at once.
/// </summary>
public sealed class DatabaseConnections(RotatingPassword password)
{
    /// <summary>
    /// The longest a rotation may leave the database and the source disagreeing (the secret is written a moment after
    /// the database takes the password): within an API request's deadline, so a source that stays wrong is a 503.
    /// </summary>
    public static readonly TimeSpan RotationWindow = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(250);

    public bool Rotates => password.Rotates;

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
        var deadline = DateTime.UtcNow + (password.Rotates ? RotationWindow : TimeSpan.Zero);
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
                password.Refused();
                await Task.Delay(pause, cancellationToken);
                pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
            }
        }
    }
}
