using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.Api.Identity;
using Dms.Api.Users;
using Dms.Contracts;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;
using Dms.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dms.IntegrationTests.Identity;

/// <summary>
/// The api's adapter for Dms's own provider, against the provider on 127.0.0.1: the port's contract, and what only
/// this provider does besides (a disabled or reset user's sign-ins and refresh tokens end; a reset lifts the lockout
/// and turns two-factor sign-in off; the directory answers only the api's key).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DmsIdentityDirectoryTests(TemporaryPostgres postgres) : UserDirectoryContract, IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private ProviderScenario _provider = null!;
    private DmsIdentityDirectory _directory = null!;

    protected override IUserDirectory Directory => _directory;

    public async ValueTask InitializeAsync()
    {
        _provider = await ProviderScenario.StartAsync(postgres);
        _directory = new DmsIdentityDirectory(_http, Options.Create(new IdentityOptions
        {
            Authority = _provider.BaseAddress.ToString(), Audience = ProviderScenario.ClientId, DirectoryKey = ProviderScenario.DirectoryKey,
        }));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _provider.DisposeAsync();
    }

    protected override async Task<PasswordSignIn> SignInAsync(string email, string password)
    {
        using var browser = _provider.NewBrowser();
        using var answer = await browser.SubmitAsync("/signin", new() { ["Email"] = email, ["Password"] = password }, Cancellation);
        return answer.StatusCode != HttpStatusCode.Redirect ? PasswordSignIn.Refused
            : answer.Headers.Location!.OriginalString.StartsWith("/signin/new-password", StringComparison.Ordinal) ? PasswordSignIn.MustChoosePassword
            : PasswordSignIn.SignedIn;
    }

    [Fact]
    public async Task The_directory_answers_only_the_apis_key()
    {
        using var http = _provider.Anonymous();
        var path = $"/directory/tenants/{DemoIdentity.TenantId}/users";

        using var withoutKey = await http.GetAsync(path, Cancellation);
        http.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-key");
        using var wrongKey = await http.PostAsJsonAsync(path, new { email = "added@demo.dms.local", role = Roles.Editor }, Cancellation);
        using var wrongKeyRemoves = await http.DeleteAsync($"{path}/viewer@demo.dms.local", Cancellation);
        http.DefaultRequestHeaders.Authorization = new("Bearer", ProviderScenario.DirectoryKey);
        using var operatorAsked = await http.PostAsJsonAsync(path, new { email = "root@demo.dms.local", role = Roles.Operator }, Cancellation);
        var listed = await http.GetFromJsonAsync<JsonElement>(path, Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKeyRemoves.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, operatorAsked.StatusCode);
        // The demo tenant's users as seeded: the operator has no tenant and is not among them.
        Assert.Equal(["admin@demo.dms.local", "editor@demo.dms.local", "viewer@demo.dms.local"],
            listed.EnumerateArray().Select(u => u.GetProperty("username").GetString()));
    }

    [Fact]
    public async Task Disabling_a_user_ends_their_sign_ins_refuses_their_refresh_tokens_and_their_password()
    {
        var tenant = Guid.NewGuid();
        var (user, browser, tokens) = await SignedInUserAsync(tenant);
        using (browser)
        {
            await Directory.SetEnabledAsync(tenant, user, false, Cancellation);

            using var refreshed = await RefreshAsync(tokens);
            using var account = await browser.GetAsync("/account", Cancellation);

            Assert.Equal(HttpStatusCode.BadRequest, refreshed.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, account.StatusCode);
            Assert.Contains("/signin", account.Headers.Location!.OriginalString);
            Assert.Equal(PasswordSignIn.Refused, await SignInAsync(user, Chosen));
        }
    }

    [Fact]
    public async Task A_reset_ends_sign_ins_lifts_the_lockout_and_removes_two_factor_and_passkeys()
    {
        var tenant = Guid.NewGuid();
        var (user, browser, tokens) = await SignedInUserAsync(tenant);
        using (browser)
        {
            await using (var scope = _provider.Services.CreateAsyncScope())
            {
                var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Dms.Identity.Accounts.DmsUser>>();
                var account = (await users.FindByEmailAsync(user))!;
                await users.ResetAuthenticatorKeyAsync(account);
                await users.SetTwoFactorEnabledAsync(account, true);
                await users.SetLockoutEndDateAsync(account, DateTimeOffset.UtcNow.AddHours(1));
                // A passkey of a device the user lost (its public key as an authenticator would have registered it).
                await users.AddOrUpdatePasskeyAsync(account, new Microsoft.AspNetCore.Identity.UserPasskeyInfo(
                    [1, 2, 3, 4], [5, 6, 7, 8], DateTimeOffset.UtcNow, 0, ["internal"], true, false, false, [9], [10]) { Name = "lost phone" });
            }

            var reset = await Directory.ResetAsync(tenant, user, Cancellation);

            using var refreshed = await RefreshAsync(tokens);
            using var page = await browser.GetAsync("/account", Cancellation);
            Assert.Equal(HttpStatusCode.BadRequest, refreshed.StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            // Not locked, and no second factor asked for: the new temporary password leads to choosing a password.
            Assert.Equal(PasswordSignIn.MustChoosePassword, await SignInAsync(user, reset.TemporaryPassword));
            await using var after = _provider.Services.CreateAsyncScope();
            var stored = (await after.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Dms.Identity.Accounts.DmsUser>>().FindByEmailAsync(user))!;
            Assert.False(stored.TwoFactorEnabled);
            Assert.Empty(await after.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Dms.Identity.Accounts.DmsUser>>().GetPasskeysAsync(stored));
        }
    }

    private const string Chosen = "Chosen-Password-1!";

    /// <summary>A new user of the tenant who chose their password and signed in with the code flow: their browser and tokens.</summary>
    private async Task<(string User, Browser Browser, JsonElement Tokens)> SignedInUserAsync(Guid tenant)
    {
        var user = await Directory.CreateAsync($"signed-in-{Guid.NewGuid():N}@example.com", tenant, Roles.Editor, Cancellation);
        var browser = _provider.NewBrowser();
        using var first = await browser.SubmitAsync("/signin", new() { ["Email"] = user.Username, ["Password"] = user.TemporaryPassword }, Cancellation);
        using var chosen = await browser.SubmitAsync(first.Headers.Location!.OriginalString, new() { ["NewPassword"] = Chosen, ["Confirmation"] = Chosen }, Cancellation);
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        var pkce = Pkce.New();
        using var authorize = await browser.GetAsync(_provider.AuthorizeUrl(pkce.Challenge), Cancellation);
        var code = await browser.FollowToCodeAsync(authorize, ProviderScenario.RedirectUri);
        return (user.Username, browser, await _provider.ExchangeAsync(code, pkce.Verifier));
    }

    private Task<HttpResponseMessage> RefreshAsync(JsonElement tokens) => _provider.TokenAsync(new()
    {
        ["grant_type"] = "refresh_token", ["refresh_token"] = tokens.GetProperty("refresh_token").GetString()!, ["client_id"] = ProviderScenario.ClientId,
    });
}
