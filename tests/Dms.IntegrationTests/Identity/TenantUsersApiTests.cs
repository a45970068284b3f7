using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.Contracts;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Identity;

/// <summary>
/// The api's users routes over Dms's own provider: a tenant's admin manages their own tenant's users only, an operator
/// any tenant's; a user of another tenant is a 404 and is left as they were; nobody disables, resets or removes
/// themselves.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TenantUsersApiTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ProviderScenario _provider = null!;
    private ApiScenario _api = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _provider = await ProviderScenario.StartAsync(postgres);
        _api = await ApiScenario.StartAsync(postgres, settings: _provider.ApiSettings);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task A_tenants_admin_manages_their_own_users_and_finds_none_of_another_tenant()
    {
        var user = await AddAsync(_api.AdminA, "/api/v1/tenant/users", Roles.Editor);
        using var adminB = _api.Api.CreateClient(TestTokens.For(_api.TenantB, Roles.Admin));
        var path = $"/api/v1/tenant/users/{Uri.EscapeDataString(user)}";

        var listedByA = await _api.AdminA.GetFromJsonAsync<JsonElement>("/api/v1/tenant/users", Cancellation);
        var listedByB = await adminB.GetFromJsonAsync<JsonElement>("/api/v1/tenant/users", Cancellation);
        using var disabledByB = await adminB.PostAsync($"{path}/disable", null, Cancellation);
        using var resetByB = await adminB.PostAsync($"{path}/reset", null, Cancellation);
        using var removedByB = await adminB.DeleteAsync(path, Cancellation);
        using var listedByEditor = await _api.EditorA.GetAsync("/api/v1/tenant/users", Cancellation);
        using var disabledByEditor = await _api.EditorA.PostAsync($"{path}/disable", null, Cancellation);

        Assert.Equal([user], listedByA.EnumerateArray().Select(u => u.GetProperty("username").GetString()));
        Assert.Empty(listedByB.EnumerateArray());
        Assert.All([disabledByB, resetByB, removedByB], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal("urn:dms:problem:user-not-found", (await removedByB.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, listedByEditor.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, disabledByEditor.StatusCode);
        var unchanged = Assert.Single((await _api.AdminA.GetFromJsonAsync<JsonElement>("/api/v1/tenant/users", Cancellation)).EnumerateArray());
        Assert.True(unchanged.GetProperty("enabled").GetBoolean());

        using var disabled = await _api.AdminA.PostAsync($"{path}/disable", null, Cancellation);
        var afterDisable = Assert.Single((await _api.AdminA.GetFromJsonAsync<JsonElement>("/api/v1/tenant/users", Cancellation)).EnumerateArray());
        using var reset = await _api.AdminA.PostAsync($"{path}/reset", null, Cancellation);
        using var removed = await _api.AdminA.DeleteAsync(path, Cancellation);
        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        Assert.False(afterDisable.GetProperty("enabled").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.NotEmpty((await reset.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("temporaryPassword").GetString()!);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Empty((await _api.AdminA.GetFromJsonAsync<JsonElement>("/api/v1/tenant/users", Cancellation)).EnumerateArray());
    }

    [Fact]
    public async Task An_operator_manages_any_tenants_users_and_an_unknown_tenant_or_user_is_a_404()
    {
        var user = await AddAsync(_api.Operator, $"/api/v1/admin/tenants/{_api.TenantB}/users", Roles.Viewer);
        var path = $"/api/v1/admin/tenants/{_api.TenantB}/users/{Uri.EscapeDataString(user)}";

        using var disabled = await _api.Operator.PostAsync($"{path}/disable", null, Cancellation);
        using var enabled = await _api.Operator.PostAsync($"{path}/enable", null, Cancellation);
        var listed = await _api.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/admin/tenants/{_api.TenantB}/users", Cancellation);
        using var wrongTenant = await _api.Operator.PostAsync($"/api/v1/admin/tenants/{_api.TenantA}/users/{Uri.EscapeDataString(user)}/disable", null, Cancellation);
        using var unknownTenant = await _api.Operator.GetAsync($"/api/v1/admin/tenants/{Guid.NewGuid()}/users", Cancellation);
        using var notAnAddress = await _api.Operator.DeleteAsync($"/api/v1/admin/tenants/{_api.TenantB}/users/nobody", Cancellation);
        using var byATenantAdmin = await _api.AdminA.GetAsync($"/api/v1/admin/tenants/{_api.TenantB}/users", Cancellation);

        Assert.Equal(HttpStatusCode.NoContent, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, enabled.StatusCode);
        var shown = Assert.Single(listed.EnumerateArray());
        Assert.Equal((user, Roles.Viewer, true, true),
            (shown.GetProperty("username").GetString(), shown.GetProperty("role").GetString(), shown.GetProperty("enabled").GetBoolean(), shown.GetProperty("mustChangePassword").GetBoolean()));
        Assert.Equal(HttpStatusCode.NotFound, wrongTenant.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownTenant.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notAnAddress.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byATenantAdmin.StatusCode);
    }

    [Fact]
    public async Task An_admin_cannot_disable_reset_or_remove_themselves()
    {
        var admin = await AddAsync(_api.AdminA, "/api/v1/tenant/users", Roles.Admin);
        using var self = _api.Api.CreateClient(TestTokens.Mint(_api.TenantA, [Roles.Admin], email: admin));
        var path = $"/api/v1/tenant/users/{Uri.EscapeDataString(admin)}";

        using var disabled = await self.PostAsync($"{path}/disable", null, Cancellation);
        using var reset = await self.PostAsync($"{path}/reset", null, Cancellation);
        using var removed = await self.DeleteAsync(path, Cancellation);

        Assert.All([disabled, reset, removed], r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal("urn:dms:problem:own-account", (await removed.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("type").GetString());
        Assert.True(Assert.Single((await self.GetFromJsonAsync<JsonElement>("/api/v1/tenant/users", Cancellation)).EnumerateArray()).GetProperty("enabled").GetBoolean());
    }

    private static async Task<string> AddAsync(HttpClient client, string path, string role)
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        using var added = await client.PostAsJsonAsync(path, new { email, role }, Cancellation);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        return email;
    }
}
