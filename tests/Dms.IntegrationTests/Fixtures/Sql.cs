using Npgsql;

namespace Dms.IntegrationTests.Fixtures;

/// <summary>Looks at the database directly, as its owner, to check what the API did.</summary>
public static class Sql
{
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
