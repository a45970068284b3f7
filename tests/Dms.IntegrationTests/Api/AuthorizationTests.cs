using System.Net;
using System.Net.Http.Json;
using Dms.Contracts;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Dms.IntegrationTests.Api;

/// <summary>Walks every route of the API with no token, bad tokens, the wrong role and another tenant's ids.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AuthorizationTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ApiScenario _scenario = null!;
    private Guid _documentOfA;

    private enum Access { Read, Write, Administer, Operator }

    private sealed record Route(string Method, string Template, Access Access, object? Body = null)
    {
        public string Path(Guid document, Guid tenant) =>
            Template.Replace("{id:guid}", Template.StartsWith("/api/v1/admin") ? tenant.ToString() : document.ToString()).Replace("{id}", "1").Replace("{page:int}", "1");

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

    private static readonly Route[] Routes =
    [
        new("POST", "/api/v1/documents", Access.Write, new { fileName = "a.pdf", contentType = "application/pdf", sizeBytes = 10 }),
        new("GET", "/api/v1/documents", Access.Read),
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
        new("GET", "/api/v1/tenant", Access.Read),
        new("POST", "/api/v1/tenant/users", Access.Administer, new { email = "new@example.com", role = "viewer" }),
        new("GET", "/api/v1/search?q=report", Access.Read),
        new("POST", "/api/v1/admin/tenants", Access.Operator, new { name = "x", plan = "pro", storageQuotaBytes = 1, retentionDays = 1 }),
        new("GET", "/api/v1/admin/tenants", Access.Operator),
        new("GET", "/api/v1/admin/tenants/usage", Access.Operator),
        new("GET", "/api/v1/admin/tenants/{id:guid}", Access.Operator),
        new("PATCH", "/api/v1/admin/tenants/{id:guid}", Access.Operator, new { plan = "basic" }),
        new("GET", "/api/v1/admin/tenants/{id:guid}/usage", Access.Operator),
        new("GET", "/api/v1/admin/dead-letters", Access.Operator),
        new("POST", "/api/v1/admin/search/reindex", Access.Operator),
        new("POST", "/api/v1/admin/dead-letters/redrive", Access.Operator),
        new("POST", "/api/v1/admin/dead-letters/{id}/redrive", Access.Operator),
        new("DELETE", "/api/v1/admin/dead-letters", Access.Operator),
        new("DELETE", "/api/v1/admin/dead-letters/{id}", Access.Operator),
        new("GET", "/api/v1/admin/status", Access.Operator),
        new("POST", "/api/v1/admin/tenants/{id:guid}/users", Access.Operator, new { email = "new@example.com", role = "viewer" }),
        new("GET", "/api/v1/admin/documents/{id:guid}", Access.Operator),
        new("POST", "/api/v1/admin/documents/{id:guid}/reprocess", Access.Operator),
        new("POST", "/api/v1/admin/documents/{id:guid}/restore", Access.Operator),
        new("DELETE", "/api/v1/admin/documents/{id:guid}", Access.Operator),
    ];

    /// <summary>Routes anyone may call: the version info and the signed upload URLs (their signature is the permission).</summary>
    private static readonly string[] Anonymous = ["GET /api/v1/info", "PUT /api/v1/uploads/{**key}"];

    public async ValueTask InitializeAsync()
    {
        _scenario = await ApiScenario.StartAsync(postgres);
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(10));
        _documentOfA = created.GetProperty("document").GetProperty("id").GetGuid();
    }

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public void Every_api_route_is_walked_by_these_tests()
    {
        var mapped = _scenario.Api.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToHashSet();

        var walked = Routes.Select(r => $"{r.Method} {r.Template.Split('?')[0]}").Concat(Anonymous).ToHashSet();

        Assert.Equal(mapped.Order(), walked.Order());
    }

    [Fact]
    public async Task No_token_is_401_on_every_route()
    {
        await AssertEveryRouteAsync(_ => null, _ => HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("forged")]
    [InlineData("wrong-issuer")]
    public async Task A_bad_token_is_401_on_every_route(string kind)
    {
        var token = kind switch
        {
            "expired" => TestTokens.Mint(_scenario.TenantA, [Roles.Admin, Roles.Operator], expires: DateTime.UtcNow.AddMinutes(-5)),
            "forged" => TestTokens.Mint(_scenario.TenantA, [Roles.Admin, Roles.Operator], forged: true),
            _ => TestTokens.Mint(_scenario.TenantA, [Roles.Admin, Roles.Operator], issuer: "https://someone-else.invalid"),
        };

        await AssertEveryRouteAsync(_ => token, _ => HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_viewer_is_403_on_every_write_and_operator_route()
    {
        var viewer = TestTokens.For(_scenario.TenantA, Roles.Viewer);
        await AssertEveryRouteAsync(r => r.Access == Access.Read ? null : viewer, _ => HttpStatusCode.Forbidden, r => r.Access != Access.Read);
    }

    [Fact]
    public async Task An_editor_is_403_on_every_tenant_admin_and_operator_route()
    {
        var editor = TestTokens.For(_scenario.TenantA, Roles.Editor);
        await AssertEveryRouteAsync(_ => editor, _ => HttpStatusCode.Forbidden, r => r.Access is Access.Administer or Access.Operator);
    }

    [Fact]
    public async Task An_operator_is_403_on_every_tenant_route()
    {
        var operatorToken = TestTokens.For(null, Roles.Operator);
        await AssertEveryRouteAsync(_ => operatorToken, _ => HttpStatusCode.Forbidden, r => r.Access != Access.Operator);
    }

    [Fact]
    public async Task A_tenant_admin_is_403_on_every_operator_route()
    {
        var admin = TestTokens.For(_scenario.TenantA, Roles.Admin);
        await AssertEveryRouteAsync(_ => admin, _ => HttpStatusCode.Forbidden, r => r.Access == Access.Operator);
    }

    [Fact]
    public async Task Another_tenants_document_is_404_on_every_document_route()
    {
        var otherTenant = TestTokens.For(_scenario.TenantB, Roles.Admin);
        await AssertEveryRouteAsync(_ => otherTenant, _ => HttpStatusCode.NotFound, r => r.Template.Contains("{id:guid}") && r.Access != Access.Operator);
    }

    private async Task AssertEveryRouteAsync(Func<Route, string?> token, Func<Route, HttpStatusCode> expected, Func<Route, bool>? which = null)
    {
        using var client = _scenario.Api.CreateClient();
        var failures = new List<string>();
        foreach (var route in Routes.Where(which ?? (_ => true)))
        {
            using var request = route.Request(_documentOfA, _scenario.TenantA, token(route));
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            if (response.StatusCode != expected(route))
            {
                failures.Add($"{route.Method} {route.Template}: {(int)response.StatusCode}, expected {(int)expected(route)}");
            }
            else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{route.Method} {route.Template}: {(int)response.StatusCode} without ProblemDetails");
            }
        }

        Assert.Empty(failures);
    }
}
