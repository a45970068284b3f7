using Npgsql;

namespace Dms.Api.Benchmark;

/// <summary>
/// The API benchmark's yardstick, mapped only when <c>Dms:Benchmark:BareEndpoint</c> is true: an anonymous endpoint
/// that reads one document's title by primary key in one round trip (the tenant setting and the query in one batch,
/// one implicit transaction), with no authentication, no EF Core and no use case around it. The ratio of
/// <c>GET /api/v1/documents/{id}</c>'s throughput to this one's is what everything Dms adds per request costs.
/// </summary>
public static class BareEndpoint
{
    public const string Setting = "Dms:Benchmark:BareEndpoint";

    public static WebApplication MapBareEndpoint(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>(Setting))
        {
            return app;
        }

        app.MapGet("/bench/documents/{tenantId:guid}/{id:guid}", async (Guid tenantId, Guid id, NpgsqlDataSource database, CancellationToken cancellationToken) =>
        {
            await using var batch = database.CreateBatch();
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('app.tenant_id', $1, true)") { Parameters = { new() { Value = tenantId.ToString() } } });
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT title FROM documents WHERE id = $1") { Parameters = { new() { Value = id } } });
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Results.Ok(new { id, title = reader.GetString(0) }) : Results.NotFound();
        }).ExcludeFromDescription();
        return app;
    }
}
