using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Dms.Contracts;
using Dms.Identity.Accounts;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Dms.IntegrationTests.Identity;

/// <summary>
/// Dms's own provider as its clients meet it: the code flow with PKCE, codes that work once, lockout, a first
/// sign-in's new password, sign-out that revokes, the device flow, and tokens the API takes only when this
/// installation signed them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProviderTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ProviderScenario _provider = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _provider = await ProviderScenario.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task The_api_takes_the_providers_tokens_and_refuses_any_signed_by_another_key()
    {
        using var browser = _provider.NewBrowser();
        var tokens = await _provider.SignInWithCodeAsync(browser, "operator@demo.dms.local");
        var idToken = tokens.GetProperty("id_token").GetString()!;
        var owner = await ApiScenario.MigratedDatabaseAsync(postgres);
        await using var api = new ApiFactory(postgres.AppConnectionString(owner), new Dictionary<string, string>
        {
            ["Dms:Identity:Authority"] = _provider.BaseAddress.ToString(),
            ["Dms:Identity:Audience"] = ProviderScenario.ClientId,
            ["Dms:Identity:RequireHttpsMetadata"] = "false",
        }, trustTestTokens: false);

        using var signedIn = api.CreateClient(idToken);
        using var served = await signedIn.GetAsync("/api/v1/admin/tenants", Cancellation);
        var claims = new JsonWebToken(idToken);
        // The same claims, the same key id, signed by another key; and by the key cognito-local ships in its package.
        using var forged = api.CreateClient(Resign(claims, new RsaSecurityKey(RSA.Create(3072)) { KeyId = claims.Kid }));
        using var forgedAnswer = await forged.GetAsync("/api/v1/admin/tenants", Cancellation);
        using var standIn = api.CreateClient(Resign(claims, CognitoLocalPackageKey()));
        using var standInAnswer = await standIn.GetAsync("/api/v1/admin/tenants", Cancellation);

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, standInAnswer.StatusCode);
    }

    [Fact]
    public async Task A_sign_in_of_a_tenants_user_is_in_the_tenants_audit_trail_under_the_subject_its_tokens_carry()
    {
        using var browser = _provider.NewBrowser();
        var tokens = await _provider.SignInWithCodeAsync(browser, "editor@demo.dms.local");
        var token = new JsonWebToken(tokens.GetProperty("id_token").GetString()!);
        var tenant = token.GetClaim("custom:tenant_id").Value;

        var owner = Sql.CrossTenant(_provider.OwnerConnection);
        var recorded = await Sql.ScalarAsync(owner,
            $"SELECT count(*) FROM audit_events WHERE action = 'user.signed_in' AND tenant_id = '{tenant}' AND actor_id = '{token.Subject}' AND actor_name = 'editor@demo.dms.local' AND client_address IS NOT NULL");
        Assert.Equal(1L, recorded);
    }

    [Fact]
    public async Task The_id_token_names_the_tenant_and_role_as_the_api_reads_them()
    {
        using var browser = _provider.NewBrowser();

        var tokens = await _provider.SignInWithCodeAsync(browser, "editor@demo.dms.local");

        var token = new JsonWebToken(tokens.GetProperty("id_token").GetString()!);
        Assert.Equal(DemoIdentity.TenantId.ToString(), token.GetClaim("custom:tenant_id").Value);
        Assert.Equal([Roles.Editor], token.Claims.Where(c => c.Type == "cognito:groups").Select(c => c.Value));
        Assert.Equal(ProviderScenario.ClientId, Assert.Single(token.Audiences));
        Assert.Equal("editor@demo.dms.local", token.GetClaim("email").Value);
        Assert.DoesNotContain(token.Claims, c => c.Type == Dms.Identity.Protocol.TokenClaims.Session);
    }

    [Fact]
    public async Task A_code_works_once_only_with_its_verifier_and_redirect()
    {
        using var browser = _provider.NewBrowser();
        var pkce = Pkce.New();
        var signIn = await browser.GetAsync(_provider.AuthorizeUrl(pkce.Challenge), Cancellation);
        var code = await browser.FollowToCodeAsync(await browser.SubmitAsync(signIn.Headers.Location!.ToString(),
            new() { ["Email"] = "viewer@demo.dms.local", ["Password"] = DemoIdentity.Password }, Cancellation), ProviderScenario.RedirectUri, Cancellation);

        var wrongVerifier = await _provider.ExchangeAsync(code, Pkce.New().Verifier);
        var wrongRedirect = await _provider.ExchangeAsync(code, pkce.Verifier, "http://127.0.0.1:9/elsewhere");
        var right = await _provider.ExchangeAsync(code, pkce.Verifier);
        var again = await _provider.ExchangeAsync(code, pkce.Verifier);

        Assert.Equal("invalid_grant", wrongVerifier.GetProperty("error").GetString());
        Assert.Equal("invalid_grant", wrongRedirect.GetProperty("error").GetString());
        Assert.True(right.TryGetProperty("id_token", out _), right.ToString());
        Assert.Equal("invalid_grant", again.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Ten_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused_with_the_same_answer()
    {
        using var browser = _provider.NewBrowser();
        var answers = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await ProblemAsync(await browser.SubmitAsync("/signin", new() { ["Email"] = "admin@demo.dms.local", ["Password"] = $"wrong-{i}" }, Cancellation)));
        }

        var rightButLocked = await browser.SubmitAsync("/signin", new() { ["Email"] = "admin@demo.dms.local", ["Password"] = DemoIdentity.Password }, Cancellation);
        var unknown = await browser.SubmitAsync("/signin", new() { ["Email"] = "nobody@demo.dms.local", ["Password"] = DemoIdentity.Password }, Cancellation);
        var otherUser = await browser.SubmitAsync("/signin", new() { ["Email"] = "viewer@demo.dms.local", ["Password"] = DemoIdentity.Password }, Cancellation);

        Assert.Single(answers.Distinct());
        Assert.Equal(answers[0], await ProblemAsync(rightButLocked));
        Assert.Equal(answers[0], await ProblemAsync(unknown));
        Assert.Contains("locked for 15 minutes", answers[0]);
        Assert.Equal(HttpStatusCode.Redirect, otherUser.StatusCode);
        var admin = await _provider.Services.CreateScope().ServiceProvider.GetRequiredService<UserManager<DmsUser>>().FindByEmailAsync("admin@demo.dms.local");
        Assert.True(admin!.LockoutEnd > DateTimeOffset.UtcNow.AddMinutes(14), $"Locked until {admin.LockoutEnd}.");
    }

    [Fact]
    public async Task A_first_sign_in_sets_a_new_password_twice_typed_by_the_rules_and_its_step_works_once()
    {
        const string temporary = "Temporary-Pass-1!";
        await _provider.CreateUserAsync("new@demo.dms.local", temporary, mustChangePassword: true);
        using var browser = _provider.NewBrowser();

        var signedIn = await browser.SubmitAsync("/signin", new() { ["Email"] = "new@demo.dms.local", ["Password"] = temporary }, Cancellation);
        Assert.Equal("/signin/new-password", signedIn.Headers.Location!.OriginalString.Split('?')[0]);
        var step = browser.Cookies.GetAllCookies().Single(c => c.Name == "dms-first-sign-in").Value;
        var rulesPage = await (await browser.GetAsync("/signin/new-password", Cancellation)).Content.ReadAsStringAsync(Cancellation);
        var mismatch = await browser.SubmitAsync("/signin/new-password", new() { ["NewPassword"] = "Chosen-Password-2!", ["Confirmation"] = "Chosen-Password-3!" }, Cancellation);
        var weak = await browser.SubmitAsync("/signin/new-password", new() { ["NewPassword"] = "short", ["Confirmation"] = "short" }, Cancellation);
        var set = await browser.SubmitAsync("/signin/new-password", new() { ["NewPassword"] = "Chosen-Password-2!", ["Confirmation"] = "Chosen-Password-2!" }, Cancellation);
        // The step's cookie, copied before it was used, into another browser: it sets no password again.
        using var replay = _provider.NewBrowser();
        replay.Cookies.Add(_provider.BaseAddress, new Cookie("dms-first-sign-in", step));
        var replayed = await replay.GetAsync("/signin/new-password", Cancellation);

        Assert.Contains(PasswordRules.Description, rulesPage);
        Assert.Contains("not the same", await ProblemAsync(mismatch));
        Assert.Contains("at least 12", await ProblemAsync(weak));
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal("/signin", replayed.Headers.Location!.OriginalString.Split('?')[0]);
        var old = await _provider.NewBrowser().SubmitAsync("/signin", new() { ["Email"] = "new@demo.dms.local", ["Password"] = temporary }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        var chosen = await _provider.NewBrowser().SubmitAsync("/signin", new() { ["Email"] = "new@demo.dms.local", ["Password"] = "Chosen-Password-2!" }, Cancellation);
        Assert.Equal("/account", chosen.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Signing_out_at_the_provider_revokes_the_refresh_token_and_a_copy_of_its_cookie()
    {
        using var browser = _provider.NewBrowser();
        var tokens = await _provider.SignInWithCodeAsync(browser, "viewer@demo.dms.local");
        var refreshed = await _provider.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        var copy = browser.Cookies.GetAllCookies().Single(c => c.Name == "dms-identity").Value;

        using var signedOut = await browser.PostAsync("/connect/endsession", [], Cancellation);
        var afterSignOut = await _provider.RefreshAsync(refreshed.GetProperty("refresh_token").GetString()!);
        using var copied = _provider.NewBrowser();
        copied.Cookies.Add(_provider.BaseAddress, new Cookie("dms-identity", copy));
        using var account = await copied.GetAsync("/account", Cancellation);

        Assert.True(refreshed.TryGetProperty("id_token", out _), refreshed.ToString());
        Assert.NotEqual(tokens.GetProperty("refresh_token").GetString(), refreshed.GetProperty("refresh_token").GetString());
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal("invalid_grant", afterSignOut.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Redirect, account.StatusCode);
        Assert.StartsWith("/signin", account.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_device_signs_in_once_its_user_allows_its_code_and_the_code_works_once()
    {
        using var device = await _provider.Anonymous().PostAsync("/connect/device",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = ProviderScenario.ClientId, ["scope"] = "openid email offline_access" }), Cancellation);
        var grant = await device.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        var deviceCode = grant.GetProperty("device_code").GetString()!;
        var userCode = grant.GetProperty("user_code").GetString()!;
        var poll = new Dictionary<string, string> { ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code", ["device_code"] = deviceCode, ["client_id"] = ProviderScenario.ClientId };

        var pending = await (await _provider.TokenAsync(poll)).Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        using var browser = _provider.NewBrowser();
        var verify = $"/connect/verify?user_code={Uri.EscapeDataString(userCode)}";
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SubmitAsync((await browser.GetAsync(verify, Cancellation)).Headers.Location!.ToString(),
            new() { ["Email"] = "editor@demo.dms.local", ["Password"] = DemoIdentity.Password }, Cancellation)).StatusCode);
        var allowed = await browser.SubmitAsync(verify, new() { ["decision"] = "allow" }, Cancellation);
        Assert.True(allowed.StatusCode == HttpStatusCode.Redirect, await allowed.Content.ReadAsStringAsync(Cancellation));
        var tokens = await (await _provider.TokenAsync(poll)).Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        var again = await (await _provider.TokenAsync(poll)).Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        Assert.Equal("authorization_pending", pending.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        Assert.Equal("editor@demo.dms.local", new JsonWebToken(tokens.GetProperty("id_token").GetString()!).GetClaim("email").Value);
        Assert.Equal("invalid_grant", again.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_client_address_may_post_only_so_many_sign_in_forms_a_minute_whatever_the_accounts()
    {
        await using var strict = await ProviderScenario.StartAsync(postgres, new Dictionary<string, string> { ["Dms:Identity:SignInAttemptsPerMinute"] = "5" });
        using var browser = strict.NewBrowser();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var answer = await browser.SubmitAsync("/signin", new() { ["Email"] = $"guess-{i}@demo.dms.local", ["Password"] = "Guess-1!" }, Cancellation);
            answers.Add(answer.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task The_providers_pages_cannot_be_framed_run_only_their_own_script_and_post_only_to_themselves_and_the_client()
    {
        using var browser = _provider.NewBrowser();

        using var page = await browser.GetAsync("/signin", Cancellation);

        var policy = string.Join(",", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy);
        // The passkeys script, from the provider itself: no inline script, no other origin, fetches only back home.
        Assert.Contains("script-src 'self';", policy);
        Assert.Contains("connect-src 'self';", policy);
        Assert.Contains("<script src=\"/passkeys.js\" defer></script>", await page.Content.ReadAsStringAsync(Cancellation));
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("form-action 'self' http://127.0.0.1:9;", policy);
        Assert.Equal("DENY", Assert.Single(page.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(page.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task With_two_factor_on_the_right_password_alone_signs_no_one_in_and_a_wrong_code_counts_towards_the_lockout()
    {
        var key = await TwoFactorUserAsync("guarded@demo.dms.local", "Guarded-Password-1!");

        using var browser = _provider.NewBrowser();
        using var password = await browser.SubmitAsync("/signin", new() { ["Email"] = "guarded@demo.dms.local", ["Password"] = "Guarded-Password-1!" }, Cancellation);
        using var withoutCode = await browser.GetAsync("/account", Cancellation);
        using var wrong = await browser.SubmitAsync("/signin/two-factor", new() { ["Code"] = WrongCode(AuthenticatorApp.CodeFor(key)) }, Cancellation);
        using var right = await browser.SubmitAsync("/signin/two-factor", new() { ["Code"] = AuthenticatorApp.CodeFor(key) }, Cancellation);
        using var account = await browser.GetAsync("/account", Cancellation);

        Assert.StartsWith("/signin/two-factor", password.Headers.Location!.OriginalString);
        Assert.StartsWith("/signin", withoutCode.Headers.Location!.PathAndQuery);
        Assert.Contains("not right", await ProblemAsync(wrong));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        using var scope2 = _provider.Services.CreateScope();
        var counted = await scope2.ServiceProvider.GetRequiredService<UserManager<DmsUser>>().FindByEmailAsync("guarded@demo.dms.local");
        // The wrong code counted; the right one then started the count again.
        Assert.Equal(0, counted!.AccessFailedCount);
    }

    [Fact]
    public async Task A_code_from_the_app_signs_in_once_and_the_same_code_is_refused_after()
    {
        var key = await TwoFactorUserAsync("once@demo.dms.local", "Guarded-Password-1!");

        var code = AuthenticatorApp.CodeFor(key);
        using var first = _provider.NewBrowser();
        using var thief = _provider.NewBrowser();
        using (await first.SubmitAsync("/signin", new() { ["Email"] = "once@demo.dms.local", ["Password"] = "Guarded-Password-1!" }, Cancellation))
        using (await thief.SubmitAsync("/signin", new() { ["Email"] = "once@demo.dms.local", ["Password"] = "Guarded-Password-1!" }, Cancellation))
        {
        }

        // Someone who saw the code (over a shoulder, from a phishing page) and the password uses it a moment later.
        using var used = await first.SubmitAsync("/signin/two-factor", new() { ["Code"] = code }, Cancellation);
        using var replayed = await thief.SubmitAsync("/signin/two-factor", new() { ["Code"] = code }, Cancellation);

        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Contains("not right", await ProblemAsync(replayed));
    }

    [Fact]
    public async Task A_user_turns_two_factor_on_with_a_code_of_the_key_the_account_page_shows_and_gets_recovery_codes()
    {
        using var browser = _provider.NewBrowser();
        using var signedIn = await browser.SubmitAsync("/signin", new() { ["Email"] = "viewer@demo.dms.local", ["Password"] = DemoIdentity.Password }, Cancellation);
        var page = await (await browser.GetAsync("/account", Cancellation)).Content.ReadAsStringAsync(Cancellation);
        var key = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "aria-label=\"Authenticator key\">(?<key>[^<]+)<").Groups["key"].Value);

        using var wrong = await browser.SubmitAsync("/account", new() { ["Code"] = WrongCode(AuthenticatorApp.CodeFor(key)), ["handler"] = "TurnOn" }, Cancellation);
        using var turnedOn = await browser.SubmitAsync("/account", new() { ["Code"] = AuthenticatorApp.CodeFor(key), ["handler"] = "TurnOn" }, Cancellation);
        var shown = await turnedOn.Content.ReadAsStringAsync(Cancellation);

        Assert.Contains("not the one the app shows", await ProblemAsync(wrong));
        Assert.True(shown.Contains("Two-factor sign-in is on", StringComparison.Ordinal), $"{(int)turnedOn.StatusCode}: {shown}");
        Assert.Equal(10, System.Text.RegularExpressions.Regex.Matches(shown, "<li><code>").Count);
    }

    /// <summary>
    /// PostgreSQL restarted (here: every connection of the provider's database ended, as a restart ends them): the
    /// next sign-ins are served, not answered 500 on pooled connections that died with the old server (seen in a full
    /// run after the end-to-end test that kills PostgreSQL).
    /// </summary>
    [Fact]
    public async Task After_the_database_drops_every_connection_sign_ins_go_on()
    {
        for (var i = 0; i < 3; i++)
        {
            using var warm = _provider.NewBrowser();
            await _provider.SignInWithCodeAsync(warm, "viewer@demo.dms.local");
        }

        await Sql.ScalarAsync(_provider.OwnerConnection,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        var answers = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            using var browser = _provider.NewBrowser();
            var tokens = await _provider.SignInWithCodeAsync(browser, "viewer@demo.dms.local");
            answers.Add(tokens.TryGetProperty("id_token", out _));
        }

        Assert.All(answers, Assert.True);
    }

    private static string WrongCode(string right) => ((int.Parse(right, System.Globalization.CultureInfo.InvariantCulture) + 500_000) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A user of the demo tenant with two-factor sign-in on: the key their authenticator app was given.</summary>
    private async Task<string> TwoFactorUserAsync(string email, string password)
    {
        await _provider.CreateUserAsync(email, password, mustChangePassword: false);
        using var scope = _provider.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DmsUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }

    /// <summary>The page's problem text, or its status when it shows none.</summary>
    private static async Task<string> ProblemAsync(HttpResponseMessage page)
    {
        var html = await page.Content.ReadAsStringAsync();
        var problems = System.Text.RegularExpressions.Regex.Matches(html, "<p class=\"problem\"[^>]*>(?<text>[^<]*)</p>").Select(m => WebUtility.HtmlDecode(m.Groups["text"].Value));
        return string.Join(" ", problems) is { Length: > 0 } text ? text : $"(no problem shown: {(int)page.StatusCode})";
    }

    private static string Resign(JsonWebToken token, SecurityKey key)
    {
        var claims = token.Claims.Where(c => c.Type is not ("aud" or "iss" or "exp" or "nbf" or "iat")).ToList();
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = token.Issuer,
            Audience = token.Audiences.Single(),
            Subject = new ClaimsIdentity(claims),
            Expires = token.ValidTo,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>The private key inside the npm package of cognito-local: anyone has it.</summary>
    private static RsaSecurityKey CognitoLocalPackageKey()
    {
        var file = Path.Combine(Fauxqs.RepositoryRoot(), "tools", "cognito-local", "node_modules", "cognito-local", "lib", "keys", "cognitoLocal.private.json");
        var jwk = new JsonWebKey(JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("jwk").GetRawText());
        return new RsaSecurityKey(new RSAParameters
        {
            Modulus = Base64UrlEncoder.DecodeBytes(jwk.N), Exponent = Base64UrlEncoder.DecodeBytes(jwk.E), D = Base64UrlEncoder.DecodeBytes(jwk.D),
            P = Base64UrlEncoder.DecodeBytes(jwk.P), Q = Base64UrlEncoder.DecodeBytes(jwk.Q), DP = Base64UrlEncoder.DecodeBytes(jwk.DP),
            DQ = Base64UrlEncoder.DecodeBytes(jwk.DQ), InverseQ = Base64UrlEncoder.DecodeBytes(jwk.QI),
        }) { KeyId = jwk.Kid };
    }
}
