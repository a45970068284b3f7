using System.Security.Cryptography;
using Dms.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;
using NpgsqlTypes;

namespace Dms.Web.Account;

/// <summary>
/// Sessions kept on the server, in PostgreSQL (<c>web_sessions</c>, which the web app's role alone may touch), so that
/// every web instance shares them and sign-out ends one for good: the cookie carries only the session's key, and a
/// copy of it opens nothing once the row is gone. A session ends <see cref="SessionTokens.SessionLifetime"/> after
/// sign-in whatever happens in between (refreshes rewrite its ticket, never its end). The table holds the ticket
/// encrypted with the cookies' keys and the key's hash, not the key: what the database shows opens no session.
/// </summary>
public sealed class SessionStore(NpgsqlDataSource database, DatabaseConnections connections, IDataProtectionProvider protection, TimeProvider time)
    : ITicketStore
{
    /// <summary>Ended sessions removed at each sign-in, at most: the table stays as small as the live sessions.</summary>
    private const int SweptAtOnce = 100;

    private readonly IDataProtector _protector = protection.CreateProtector("Dms.Web.Sessions");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var ends = ticket.Properties.ExpiresUtc is { } expires && expires < now + SessionTokens.SessionLifetime ? expires : now + SessionTokens.SessionLifetime;
        await ExecuteAsync($"DELETE FROM web_sessions WHERE id IN (SELECT id FROM web_sessions WHERE expires_at <= $1 LIMIT {SweptAtOnce})", now);
        await ExecuteAsync("INSERT INTO web_sessions (id, ticket, signed_in_at, expires_at) VALUES ($1, $2, $3, $4)", Id(key), Protect(ticket), now, ends);
        return key;
    }

    /// <summary>A refresh rewrites the ticket (new tokens); the session keeps the end it was given at sign-in.</summary>
    public Task RenewAsync(string key, AuthenticationTicket ticket) =>
        ExecuteAsync("UPDATE web_sessions SET ticket = $2 WHERE id = $1 AND expires_at > $3", Id(key), Protect(ticket), time.GetUtcNow());

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => WithConnectionAsync<AuthenticationTicket?>(async connection =>
    {
        await using var command = new NpgsqlCommand("SELECT ticket, expires_at FROM web_sessions WHERE id = $1 AND expires_at > $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Id(key) });
        command.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var ticket = TicketSerializer.Default.Deserialize(_protector.Unprotect(reader.GetFieldValue<byte[]>(0)));
        if (ticket is not null)
        {
            // The end is the row's: whatever the cookie handler did to the ticket's times, the session ends then.
            ticket.Properties.ExpiresUtc = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return ticket;
    });

    public Task RemoveAsync(string key) => ExecuteAsync("DELETE FROM web_sessions WHERE id = $1", Id(key));

    private byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));

    private static string Id(string key) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private Task ExecuteAsync(string sql, params object[] values) => WithConnectionAsync(async connection =>
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(value is DateTimeOffset at
                ? new NpgsqlParameter { Value = at.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz }
                : new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteNonQueryAsync();
    });

    /// <summary>
    /// One statement on a pooled connection. A connection that died with the database (a restart, a failover) fails
    /// its first command: the pool is emptied of those (<see cref="DatabaseOutages"/>) and the statement runs once
    /// more on a new connection, so the first pages after a restart are not error pages.
    /// </summary>
    private async Task<T> WithConnectionAsync<T>(Func<NpgsqlConnection, Task<T>> work)
    {
        try
        {
            await using var connection = await connections.OpenAsync(database, CancellationToken.None);
            return await work(connection);
        }
        catch (Exception e) when (DatabaseOutages.IsOutage(e))
        {
            database.ForgetConnectionsAfter(e);
            await using var connection = await connections.OpenAsync(database, CancellationToken.None);
            return await work(connection);
        }
    }
}
