using Dms.Contracts;
using Npgsql;

namespace Dms.Persistence;

/// <summary>
/// The API benchmark's yardstick: one document's title by primary key in one round trip (the tenant setting and the
/// query in one batch, one implicit transaction), with no EF Core and no use case around it.
/// </summary>
public static class BareRead
{
    public static async Task<string?> ReadTitleAsync(NpgsqlDataSource database, Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT set_config('{DatabaseNames.TenantSetting}', $1, true)") { Parameters = { new() { Value = tenantId.ToString() } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT title FROM documents WHERE id = $1") { Parameters = { new() { Value = documentId } } });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : null;
    }
}
