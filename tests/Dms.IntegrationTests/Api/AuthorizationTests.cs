using System.Net;
using Dms.Contracts;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Api;

/// <summary>
/// Walks every route of the API with no token, bad tokens and the wrong role. Another tenant's ids are walked on a
/// processed document in <see cref="Security.CrossTenantWalkTests"/>.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AuthorizationTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ApiScenario _scenario = null!;
    private Guid _documentOfA;

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
        Assert.Equal(ApiRoutes.Mapped(_scenario.Api).Order(), ApiRoutes.Walked.Order());
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

    private async Task AssertEveryRouteAsync(Func<ApiRoute, string?> token, Func<ApiRoute, HttpStatusCode> expected, Func<ApiRoute, bool>? which = null)
    {
        using var client = _scenario.Api.CreateClient();
        var failures = new List<string>();
        foreach (var route in ApiRoutes.All.Where(which ?? (_ => true)))
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
