using System.Net;
using System.Text.Json;
using Dms.Contracts;
using Dms.IntegrationTests.Api;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Security;

/// <summary>
/// As the AWS stack sets it (Dms:Identity:TwoFactorRoles admin and operator): an admin or operator whose token does
/// not say they signed in with a second factor is refused on every route, with how to set one up; with it, served;
/// the other roles as before. (The claim is written by the pool's token trigger in AWS, which cannot run here.)
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoFactorRoleTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> PasswordOnly = new() { ["dms_two_factor"] = "false" };
    private ApiScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await ApiScenario.StartAsync(postgres, settings: new Dictionary<string, string>
    {
        ["Dms:Identity:TwoFactorRoles:0"] = Roles.Admin,
        ["Dms:Identity:TwoFactorRoles:1"] = Roles.Operator,
    });

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Theory]
    [InlineData(Roles.Admin, "/api/v1/tenant")]
    [InlineData(Roles.Operator, "/api/v1/admin/tenants")]
    public async Task A_privileged_role_on_a_password_alone_is_refused_and_with_a_second_factor_served(string role, string path)
    {
        var tenant = role == Roles.Operator ? (Guid?)null : _scenario.TenantA;
        using var passwordOnly = _scenario.Api.CreateClient(TestTokens.Mint(tenant, [role], extraClaims: PasswordOnly));
        using var noClaim = _scenario.Api.CreateClient(TestTokens.Mint(tenant, [role]));
        using var withSecondFactor = _scenario.Api.CreateClient(TestTokens.Mint(tenant, [role], extraClaims: TestTokens.SignedInWithSecondFactor));

        using var refused = await passwordOnly.GetAsync(path, TestContext.Current.CancellationToken);
        using var refusedToo = await noClaim.GetAsync(path, TestContext.Current.CancellationToken);
        using var served = await withSecondFactor.GetAsync(path, TestContext.Current.CancellationToken);

        var problem = await ApiTests.AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.Equal("urn:dms:problem:two-factor-required", problem.GetProperty("type").GetString());
        Assert.Contains("--set-up-two-factor", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, refusedToo.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Viewers_and_editors_need_no_second_factor()
    {
        using var viewer = _scenario.Api.CreateClient(TestTokens.Mint(_scenario.TenantA, [Roles.Viewer]));
        using var editor = _scenario.Api.CreateClient(TestTokens.Mint(_scenario.TenantA, [Roles.Editor], extraClaims: PasswordOnly));

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/documents", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync("/api/v1/documents", TestContext.Current.CancellationToken)).StatusCode);
    }
}
