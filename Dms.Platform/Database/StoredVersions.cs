using Dms.Contracts;
using Npgsql;

namespace Dms.Persistence;

/// <summary>Reads for the operator's backup check, straight from a database the CLI names by connection string.</summary>
public static class StoredVersions
{
    /// <summary>The blob key of every completed version, across tenants: each must have its object in storage.</summary>
    public static async Task<List<string>> ListBlobKeysAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var crossTenant = new NpgsqlCommand(DatabaseNames.CrossTenantStatement, connection, transaction))
        {
            await crossTenant.ExecuteNonQueryAsync(cancellationToken);
        }

        var keys = new List<string>();
        await using var select = new NpgsqlCommand("SELECT blob_key FROM document_versions WHERE completed_at IS NOT NULL", connection, transaction);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
