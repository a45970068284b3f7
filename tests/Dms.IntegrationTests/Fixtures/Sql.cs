using Npgsql;

namespace Dms.IntegrationTests.Fixtures;

/// <summary>Looks at the database directly, as its owner, to check what the API did.</summary>
public static class Sql
{
    /// <summary>The owner's connection declaring itself cross-tenant: row-level security binds the owner too.</summary>
    public static string CrossTenant(string ownerConnection) =>
        new NpgsqlConnectionStringBuilder(ownerConnection) { Options = "-c app.cross_tenant=on" }.ConnectionString;

    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
