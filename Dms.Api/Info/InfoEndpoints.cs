using System.Reflection;
using Dms.Api.Identity;
using Dms.Contracts.Http;
using Dms.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Dms.Api.Info;

public static class InfoEndpoints
{
    private const string Service = "Dms.Api";

    public static IEndpointRouteBuilder MapInfo(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/info", GetInfo)
            .WithName("GetInfo")
            .WithTags("Info")
            .WithSummary("Where clients sign in: the identity provider's authority and app client. Anonymous, and asks no database.");
        endpoints.MapGet("/api/v1/admin/info", GetServerInfoAsync).WithName("GetServerInfo")
            .WithTags("Info")
            .WithSummary("The API's build, the database schema version it runs against and the database server's version (operators).")
            .RequireAuthorization(Policies.Operate);
        return endpoints;
    }

    /// <summary>The same for every caller and every request: cached by clients and proxies for five minutes.</summary>
    private static Ok<InfoResponse> GetInfo(IOptions<IdentityOptions> identity, HttpContext http)
    {
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new InfoResponse(Service, new IdentityInfo(identity.Value.Authority, identity.Value.Audience)));
    }

    private static async Task<Ok<ServerInfoResponse>> GetServerInfoAsync(DmsDbContext db, CancellationToken cancellationToken)
    {
        var schema = await SchemaInfo.ReadAsync(db, cancellationToken);
        var version = typeof(InfoEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        return TypedResults.Ok(new ServerInfoResponse(Service, version, schema.SchemaVersion, schema.AppliedMigrations, schema.ServerVersion));
    }
}
