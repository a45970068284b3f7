using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Dms.IntegrationTests.Fixtures;

/// <summary>Who may call a route: any member of the tenant, editors, tenant admins, or operators.</summary>
public enum Access { Read, Write, Administer, Operator }

/// <summary>One route of the API, with a body it accepts: the walks over every route start from <see cref="ApiRoutes.All"/>.</summary>
public sealed record ApiRoute(string Method, string Template, Access Access, object? Body = null)
{
    public string Path(Guid document, Guid tenant) =>
        Template.Replace("{id:guid}", Template.StartsWith("/api/v1/admin") ? tenant.ToString() : document.ToString()).Replace("{id}", "1").Replace("{page:int}", "1")
            .Replace("{email}", "new@example.com").Replace("{noteId:guid}", Guid.Empty.ToString()).Replace("{holdId:guid}", Guid.Empty.ToString())
            .Replace("{groupId:guid}", Guid.Empty.ToString()).Replace("{userId}", "nobody")
            .Replace("{linkId:guid}", Guid.Empty.ToString());

    public HttpRequestMessage Request(Guid document, Guid tenant, string? token)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), Path(document, tenant)) { Content = Body is null ? null : JsonContent.Create(Body) };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        return request;
    }
}

/// <summary>Every route of the API, for the tests that walk them all (authorization, hostile input).</summary>
public static class ApiRoutes
{
    public static readonly ApiRoute[] All =
    [
        new("POST", "/api/v1/documents", Access.Write, new { fileName = "a.pdf", contentType = "application/pdf", sizeBytes = 10 }),
        new("GET", "/api/v1/documents", Access.Read),
        // Its cross-tenant walk (ids in the body, not the path) is DocumentActionsTests'.
        new("POST", "/api/v1/documents/bulk", Access.Write, new { action = "tag", ids = new[] { Guid.Empty }, tags = new[] { "walked" } }),
        new("GET", "/api/v1/documents/{id:guid}", Access.Read),
        new("PATCH", "/api/v1/documents/{id:guid}", Access.Write, new { title = "renamed" }),
        new("DELETE", "/api/v1/documents/{id:guid}", Access.Write),
        new("POST", "/api/v1/documents/{id:guid}/restore", Access.Write),
        new("POST", "/api/v1/documents/{id:guid}/complete", Access.Write),
        new("GET", "/api/v1/documents/{id:guid}/content", Access.Read),
        new("POST", "/api/v1/documents/{id:guid}/versions", Access.Write, new { fileName = "b.pdf", contentType = "application/pdf", sizeBytes = 10 }),
        new("GET", "/api/v1/documents/{id:guid}/versions", Access.Read),
        new("GET", "/api/v1/documents/{id:guid}/processing", Access.Read),
        new("GET", "/api/v1/documents/{id:guid}/text", Access.Read),
        new("GET", "/api/v1/documents/{id:guid}/thumbnail", Access.Read),
        new("GET", "/api/v1/documents/{id:guid}/pages/{page:int}", Access.Read),
        new("POST", "/api/v1/documents/{id:guid}/reprocess", Access.Administer),
        new("GET", "/api/v1/document-types", Access.Read),
        new("POST", "/api/v1/document-types", Access.Administer, new { name = "Walked" }),
        new("PATCH", "/api/v1/document-types/{id:guid}", Access.Administer, new { name = "Walked again" }),
        new("DELETE", "/api/v1/document-types/{id:guid}", Access.Administer),
        new("GET", "/api/v1/correspondents", Access.Read),
        new("POST", "/api/v1/correspondents", Access.Write, new { name = "Walked" }),
        new("PATCH", "/api/v1/correspondents/{id:guid}", Access.Write, new { name = "Walked again" }),
        new("DELETE", "/api/v1/correspondents/{id:guid}", Access.Administer),
        new("GET", "/api/v1/custom-fields", Access.Read),
        new("POST", "/api/v1/custom-fields", Access.Administer, new { name = "Walked", dataType = "text" }),
        new("PATCH", "/api/v1/custom-fields/{id:guid}", Access.Administer, new { name = "Walked again" }),
        new("DELETE", "/api/v1/custom-fields/{id:guid}", Access.Administer),
        new("GET", "/api/v1/documents/{id:guid}/notes", Access.Read),
        new("POST", "/api/v1/documents/{id:guid}/notes", Access.Write, new { text = "Walked." }),
        new("DELETE", "/api/v1/documents/{id:guid}/notes/{noteId:guid}", Access.Write),
        new("GET", "/api/v1/documents/{id:guid}/history", Access.Read),
        new("GET", "/api/v1/documents/{id:guid}/holds", Access.Read),
        new("GET", "/api/v1/documents/{id:guid}/permissions", Access.Read),
        new("PUT", "/api/v1/documents/{id:guid}/permissions", Access.Write, new { grants = Array.Empty<object>() }),
        new("POST", "/api/v1/documents/{id:guid}/retention/keep", Access.Administer),
        new("GET", "/api/v1/documents/{id:guid}/share-links", Access.Read),
        new("POST", "/api/v1/documents/{id:guid}/share-links", Access.Write, new { expiresAt = DateTimeOffset.UtcNow.AddDays(1) }),
        new("POST", "/api/v1/documents/{id:guid}/share-links/{linkId:guid}/revoke", Access.Write),
        new("GET", "/api/v1/groups", Access.Read),
        new("POST", "/api/v1/groups", Access.Administer, new { name = "Walked" }),
        new("PUT", "/api/v1/groups/{groupId:guid}", Access.Administer, new { name = "Walked again" }),
        new("DELETE", "/api/v1/groups/{groupId:guid}", Access.Administer),
        new("POST", "/api/v1/groups/{groupId:guid}/members", Access.Administer, new { userId = "nobody" }),
        new("DELETE", "/api/v1/groups/{groupId:guid}/members/{userId}", Access.Administer),
        new("GET", "/api/v1/audit", Access.Administer),
        new("POST", "/api/v1/audit/verify", Access.Administer),
        new("GET", "/api/v1/holds", Access.Administer),
        new("POST", "/api/v1/holds", Access.Administer, new { name = "Walked", reason = "A walk.", documentIds = new[] { Guid.Empty } }),
        new("GET", "/api/v1/holds/{holdId:guid}", Access.Administer),
        new("POST", "/api/v1/holds/{holdId:guid}/documents", Access.Administer, new { documentIds = new[] { Guid.Empty } }),
        new("POST", "/api/v1/holds/{holdId:guid}/lift", Access.Administer),
        new("GET", "/api/v1/saved-views", Access.Read),
        new("POST", "/api/v1/saved-views", Access.Read, new { name = "Walked" }),
        new("GET", "/api/v1/saved-views/{id:guid}/share-links", Access.Read),
        new("POST", "/api/v1/saved-views/{id:guid}/share-links", Access.Write, new { expiresAt = DateTimeOffset.UtcNow.AddDays(1) }),
        new("POST", "/api/v1/saved-views/{id:guid}/share-links/{linkId:guid}/revoke", Access.Write),
        new("PATCH", "/api/v1/saved-views/{id:guid}", Access.Read, new { name = "Walked again" }),
        new("DELETE", "/api/v1/saved-views/{id:guid}", Access.Read),
        new("GET", "/api/v1/tenant", Access.Read),
        new("POST", "/api/v1/tenant/users", Access.Administer, new { email = "new@example.com", role = "viewer" }),
        new("GET", "/api/v1/tenant/users", Access.Administer),
        new("POST", "/api/v1/tenant/users/{email}/disable", Access.Administer),
        new("POST", "/api/v1/tenant/users/{email}/enable", Access.Administer),
        new("POST", "/api/v1/tenant/users/{email}/reset", Access.Administer),
        new("DELETE", "/api/v1/tenant/users/{email}", Access.Administer),
        new("GET", "/api/v1/search?q=report", Access.Read),
        new("POST", "/api/v1/admin/tenants", Access.Operator, new { name = "x", plan = "pro", storageQuotaBytes = 1, retentionDays = 1 }),
        new("GET", "/api/v1/admin/tenants", Access.Operator),
        new("GET", "/api/v1/admin/tenants/usage", Access.Operator),
        new("GET", "/api/v1/admin/tenants/{id:guid}", Access.Operator),
        new("PATCH", "/api/v1/admin/tenants/{id:guid}", Access.Operator, new { plan = "basic" }),
        new("GET", "/api/v1/admin/tenants/{id:guid}/usage", Access.Operator),
        new("GET", "/api/v1/admin/tenants/{id:guid}/audit", Access.Operator),
        new("POST", "/api/v1/admin/tenants/{id:guid}/audit/verify", Access.Operator),
        new("GET", "/api/v1/admin/dead-letters", Access.Operator),
        new("POST", "/api/v1/admin/search/reindex", Access.Operator),
        new("POST", "/api/v1/admin/dead-letters/redrive", Access.Operator),
        new("POST", "/api/v1/admin/dead-letters/{id}/redrive", Access.Operator),
        new("DELETE", "/api/v1/admin/dead-letters", Access.Operator),
        new("DELETE", "/api/v1/admin/dead-letters/{id}", Access.Operator),
        new("GET", "/api/v1/admin/status", Access.Operator),
        new("GET", "/api/v1/admin/info", Access.Operator),
        new("POST", "/api/v1/admin/tenants/{id:guid}/users", Access.Operator, new { email = "new@example.com", role = "viewer" }),
        new("GET", "/api/v1/admin/tenants/{id:guid}/users", Access.Operator),
        new("POST", "/api/v1/admin/tenants/{id:guid}/users/{email}/disable", Access.Operator),
        new("POST", "/api/v1/admin/tenants/{id:guid}/users/{email}/enable", Access.Operator),
        new("POST", "/api/v1/admin/tenants/{id:guid}/users/{email}/reset", Access.Operator),
        new("DELETE", "/api/v1/admin/tenants/{id:guid}/users/{email}", Access.Operator),
        new("GET", "/api/v1/admin/documents/{id:guid}", Access.Operator),
        new("POST", "/api/v1/admin/documents/{id:guid}/reprocess", Access.Operator),
        new("POST", "/api/v1/admin/documents/{id:guid}/restore", Access.Operator),
        new("DELETE", "/api/v1/admin/documents/{id:guid}", Access.Operator),
    ];

    /// <summary>
    /// Routes anyone may call: the version info, the signed upload URLs (their signature is the permission) and the
    /// share links (their token is; <c>Sharing/ShareLinkTests</c> walks them).
    /// </summary>
    public static readonly string[] Anonymous =
    [
        "GET /api/v1/info", "PUT /api/v1/uploads/{**key}",
        "GET /api/v1/shared/{token}", "GET /api/v1/shared/{token}/pages/{page:int}", "GET /api/v1/shared/{token}/content",
        "GET /api/v1/shared/{token}/documents/{documentId:guid}", "GET /api/v1/shared/{token}/documents/{documentId:guid}/pages/{page:int}",
        "GET /api/v1/shared/{token}/documents/{documentId:guid}/content",
    ];

    /// <summary>Every route the API maps under <c>/api/v1</c>, as "METHOD template".</summary>
    public static IReadOnlySet<string> Mapped(ApiFactory api) =>
        api.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToHashSet();

    /// <summary>What <see cref="All"/> and <see cref="Anonymous"/> walk, as "METHOD template".</summary>
    public static IReadOnlySet<string> Walked => All.Select(r => $"{r.Method} {r.Template.Split('?')[0]}").Concat(Anonymous).ToHashSet();
}
