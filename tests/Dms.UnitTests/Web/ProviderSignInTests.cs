using System.Net;
using System.Web;
using Dms.Web.Account;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dms.UnitTests.Web;

/// <summary>
/// The web app against a stand-in of a provider's OpenID Connect discovery document on 127.0.0.1 (Cognito's shape:
/// no end-session or revocation endpoint listed). What this cannot prove: Cognito's hosted UI itself (no such pool runs
/// here); it proves that a person who is not signed in is sent there by the code flow with PKCE, for this client, and
/// sent to its logout at sign-out. Dms's own provider is met end to end (EndToEndTests/Web/SessionTests).
/// </summary>
public sealed class ProviderSignInTests
{
    [Fact]
    public async Task A_person_not_signed_in_is_sent_to_the_provider_by_the_code_flow_with_pkce()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var pool = await StartDiscoveryAsync(cancellation);
        var authority = $"{pool.Urls.Single()}/pool-1";

        await using var web = WebAppWithoutServices.Create(("Dms:Identity:Authority", authority));
        using var browser = web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var page = await browser.GetAsync("/documents", cancellation);
        using var signIn = await browser.GetAsync(page.Headers.Location, cancellation);
        Assert.True(signIn.Headers.Location is not null, $"{(int)signIn.StatusCode} {page.Headers.Location} {await signIn.Content.ReadAsStringAsync(cancellation)}");
        var authorize = signIn.Headers.Location!;
        var query = HttpUtility.ParseQueryString(authorize.Query);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin?ReturnUrl=%2Fdocuments", page.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal($"{pool.Urls.Single()}/oauth2/authorize", authorize.GetLeftPart(UriPartial.Path));
        Assert.Equal("client-1", query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        // The code comes back in the redirect's query (the code flow's own mode, so not named): no form post needing a script.
        Assert.Contains(query["response_mode"], new[] { null, "query" });
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
        Assert.Equal("openid email", query["scope"]);
        Assert.EndsWith("/signin-oidc", query["redirect_uri"]);
    }

    [Theory]
    [InlineData(false, "{0}/logout?client_id=client-1&logout_uri=http%3A%2F%2Flocalhost%2F")]
    [InlineData(true, "{0}/connect/endsession?client_id=client-1&post_logout_redirect_uri=http%3A%2F%2Flocalhost%2F")]
    public async Task The_signed_out_page_goes_on_to_the_providers_own_sign_out_and_back_to_the_web_app(bool endSessionEndpoint, string expected)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var pool = await StartDiscoveryAsync(cancellation, endSessionEndpoint);
        await using var web = WebAppWithoutServices.Create(("Dms:Identity:Authority", $"{pool.Urls.Single()}/pool-1"));
        using var browser = web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        // Where the sign-out post lands (E2E Web/SessionTests signs out for real): not a redirect of the post, which the
        // pages' form-action would stop, but a page that refreshes to the provider's sign-out.
        var page = await browser.GetStringAsync("/signed-out", cancellation);

        var logout = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "http-equiv=\"refresh\" content=\"0;url=([^\"]+)\"").Groups[1].Value);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, pool.Urls.Single()), logout);
    }

    [Fact]
    public async Task A_sign_out_post_without_the_pages_antiforgery_token_is_refused()
    {
        await using var web = WebAppWithoutServices.Create();
        using var otherSite = web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var answer = await otherSite.PostAsync("/signout", new FormUrlEncodedContent([]), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("reload it and sign out again", await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// A stand-in of a provider's OpenID Connect discovery document (pool-1), its sign-in pages on the same address:
    /// Cognito's shape, or with an end-session endpoint as Dms's own provider lists one.
    /// </summary>
    private static async Task<WebApplication> StartDiscoveryAsync(CancellationToken cancellationToken, bool endSessionEndpoint = false)
    {
        var discovery = WebApplication.CreateBuilder();
        discovery.WebHost.UseUrls("http://127.0.0.1:0");
        var pool = discovery.Build();
        pool.MapGet("/pool-1/.well-known/openid-configuration", (HttpContext http) =>
        {
            var issuer = $"http://{http.Request.Host}/pool-1";
            return Results.Json(new
            {
                issuer,
                authorization_endpoint = $"http://{http.Request.Host}/oauth2/authorize",
                token_endpoint = $"http://{http.Request.Host}/oauth2/token",
                jwks_uri = $"{issuer}/.well-known/jwks.json",
                end_session_endpoint = endSessionEndpoint ? $"http://{http.Request.Host}/connect/endsession" : null,
                response_types_supported = new[] { "code" },
            });
        });
        pool.MapGet("/pool-1/.well-known/jwks.json", () => Results.Json(new { keys = Array.Empty<object>() }));
        await pool.StartAsync(cancellationToken);
        return pool;
    }
}
