using Dms.Persistence;
using Npgsql;

namespace Dms.Api.Benchmark;

/// <summary>
/// The API benchmark's yardstick, mapped only when <c>Dms:Benchmark:BareEndpoint</c> is true: an anonymous endpoint
/// that reads one document's title with <see cref="BareRead"/>, with no authentication around it. The ratio of
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
            await BareRead.ReadTitleAsync(database, tenantId, id, cancellationToken) is { } title ? Results.Ok(new { id, title }) : Results.NotFound())
            .ExcludeFromDescription()
            .DisableRateLimiting();
        return app;
    }
}
