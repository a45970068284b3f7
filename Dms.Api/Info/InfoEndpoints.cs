using System.Reflection;
using Dms.Api.Identity;
using Dms.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Dms.Api.Info;

public static class InfoEndpoints
{
    /// <summary>What is running: the API version, the database schema it found, and who issues its tokens (for <c>dms login</c>).</summary>
    public sealed record InfoResponse(string Service, string Version, string? SchemaVersion, int AppliedMigrations, string DatabaseVersion, IdentityInfo Identity);

    /// <summary>The user pool (<c>{endpoint}/{poolId}</c>) and app client a client signs in with; public, as OIDC discovery is.</summary>
    public sealed record IdentityInfo(string? Authority, string? ClientId);

    public static IEndpointRouteBuilder MapInfo(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/info", GetInfoAsync)
            .WithName("GetInfo")
            .WithTags("Info")
            .WithSummary("The API version and the database schema version it runs against.");
        return endpoints;
    }

    private static async Task<Ok<InfoResponse>> GetInfoAsync(DmsDbContext db, IOptions<IdentityOptions> identity, CancellationToken cancellationToken)
    {
        var schema = await SchemaInfo.ReadAsync(db, cancellationToken);
        var version = typeof(InfoEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        return TypedResults.Ok(new InfoResponse("Dms.Api", version, schema.SchemaVersion, schema.AppliedMigrations, schema.ServerVersion,
            new IdentityInfo(identity.Value.Authority, identity.Value.Audience)));
    }
}
