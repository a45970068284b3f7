using System.Net;
using System.Web;
using Dms.Web.Account;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dms.UnitTests.Web;

/// <summary>
/// The web app with <c>Dms:Identity:HostedUi</c> on, against a stand-in of the pool's OpenID Connect discovery document
/// on 127.0.0.1. What this cannot prove: Cognito's hosted UI itself and its token endpoint (no such pool runs here);
/// it proves that a person who is not signed in is sent there by the code flow with PKCE, for this app client.
/// </summary>
public sealed class HostedSignInTests
{
    [Fact]
    public async Task With_a_hosted_ui_a_person_not_signed_in_is_sent_to_it_by_the_code_flow_with_pkce()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var pool = await StartDiscoveryAsync(cancellation);
        var authority = $"{pool.Urls.Single()}/pool-1";

        await using var web = WebAppWithoutServices.Create(("Dms:Identity:Authority", authority), ("Dms:Identity:HostedUi", "true"));
        using var browser = web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var page = await browser.GetAsync("/documents", cancellation);
        using var signIn = await browser.GetAsync(page.Headers.Location, cancellation);
        Assert.True(signIn.Headers.Location is not null, $"{(int)signIn.StatusCode} {page.Headers.Location} {await signIn.Content.ReadAsStringAsync(cancellation)}");
        var authorize = signIn.Headers.Location!;
        var query = HttpUtility.ParseQueryString(authorize.Query);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin/pool?ReturnUrl=%2Fdocuments", page.Headers.Location!.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal($"{pool.Urls.Single()}/oauth2/authorize", authorize.GetLeftPart(UriPartial.Path));
        Assert.Equal("client-1", query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
        Assert.Equal("openid email", query["scope"]);
        Assert.EndsWith("/signin-oidc", query["redirect_uri"]);
    }

    [Fact]
    public async Task With_a_hosted_ui_sign_out_goes_on_to_the_pools_logout_and_back_to_the_web_app()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var pool = await StartDiscoveryAsync(cancellation);
        await using var web = WebAppWithoutServices.Create(("Dms:Identity:Authority", $"{pool.Urls.Single()}/pool-1"), ("Dms:Identity:HostedUi", "true"));
        using var browser = web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var form = await browser.GetStringAsync("/signin", cancellation);
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

        using var signedOut = await browser.PostAsync("/signout", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]), cancellation);
        var page = await browser.GetStringAsync(signedOut.Headers.Location, cancellation);

        // Not a redirect of the post (the pages' form-action does not name the hosted UI's domain): the page refreshes to it.
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal("/signed-out", signedOut.Headers.Location?.ToString());
        var logout = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "http-equiv=\"refresh\" content=\"0;url=([^\"]+)\"").Groups[1].Value);
        Assert.Equal($"{pool.Urls.Single()}/logout?client_id=client-1&logout_uri=http%3A%2F%2Flocalhost%2F", logout);
    }

    [Fact]
    public async Task Without_a_hosted_ui_sign_in_is_the_web_apps_own_form()
    {
        await using var web = WebAppWithoutServices.Create();
        using var browser = web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var page = await browser.GetAsync("/documents", TestContext.Current.CancellationToken);
        using var hosted = await browser.GetAsync("/signin/pool", TestContext.Current.CancellationToken);

        Assert.StartsWith("/signin?ReturnUrl=%2Fdocuments", page.Headers.Location!.PathAndQuery);
        Assert.NotEqual(HttpStatusCode.Redirect, hosted.StatusCode);
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

    /// <summary>A stand-in of the pool's OpenID Connect discovery document (pool-1), its hosted UI on the same address.</summary>
    private static async Task<WebApplication> StartDiscoveryAsync(CancellationToken cancellationToken)
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
                response_types_supported = new[] { "code" },
            });
        });
        pool.MapGet("/pool-1/.well-known/jwks.json", () => Results.Json(new { keys = Array.Empty<object>() }));
        await pool.StartAsync(cancellationToken);
        return pool;
    }
}
