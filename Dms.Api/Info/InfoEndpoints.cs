using System.Reflection;
using Dms.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Info;

public static class InfoEndpoints
{
    /// <summary>What is running: the API version and the database schema it found.</summary>
    public sealed record InfoResponse(string Service, string Version, string? SchemaVersion, int AppliedMigrations, string DatabaseVersion);

    public static IEndpointRouteBuilder MapInfo(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/info", GetInfoAsync)
            .WithName("GetInfo")
            .WithTags("Info")
            .WithSummary("The API version and the database schema version it runs against.");
        return endpoints;
    }

    private static async Task<Ok<InfoResponse>> GetInfoAsync(DmsDbContext db, CancellationToken cancellationToken)
    {
        var schema = await SchemaInfo.ReadAsync(db, cancellationToken);
        var version = typeof(InfoEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        return TypedResults.Ok(new InfoResponse("Dms.Api", version, schema.SchemaVersion, schema.AppliedMigrations, schema.ServerVersion));
    }
}
