using Dms.Contracts;
using System.Net.Http.Json;
using System.Text;
using Aspire.Hosting.ApplicationModel;
using Dms.AppHost.Identity;
using Dms.TestSupport;
using Dms.Web.Account;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Dms.EndToEndTests.Web.Pages;

namespace Dms.EndToEndTests.Web;

/// <summary>Signing in and out of the web app, and the session it keeps on the server: what a browser, a copied cookie or a revoked token can still do.</summary>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed class SessionTests(RunningEmbeddedAppModel running) : WebTest(running)
{
    [Fact]
    public async Task The_demo_editor_signs_in_sees_the_tenants_documents_and_signs_out()
    {
        using var api = await Running.Model.SignInAsync("editor", Cancellation);
        var fileName = $"web-{Guid.NewGuid():N}.txt";
        await DocumentUploads.UploadAsync(api, Encoding.UTF8.GetBytes("Shown in the web app"), fileName, "text/plain", cancellationToken: Cancellation);
        await using var browser = await WebBrowser.LaunchAsync("sign-in");
        var page = await browser.NewPageAsync(Web);

        // Not signed in: the documents page sends the browser to sign in at the provider, and comes back after.
        await page.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.StartsWith($"{Provider.GetLeftPart(UriPartial.Authority)}/signin?ReturnUrl=%2Fconnect%2Fauthorize", page.Url);
        await browser.ScreenshotAsync(page, "signin");
        await page.GetByLabel("E-mail address").FillAsync("editor@demo.dms.local");
        await page.GetByLabel("Password").FillAsync("wrong password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The e-mail address or the password is not right.");
        await browser.ScreenshotAsync(page, "signin-refused");

        await page.GetByLabel("Password").FillAsync(DemoIdentity.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ProviderPages.ArriveAsync(page, "**/documents");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Documents" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = fileName })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".user")).ToHaveTextAsync("editor@demo.dms.local");
        await browser.ScreenshotAsync(page, "documents");

        // The session is an HttpOnly cookie: no script on the page can read a token.
        Assert.Equal("", await page.EvaluateAsync<string>("document.cookie"));
        // A post with the session cookie but without the page's antiforgery token (what another site could make the
        // browser send) is refused.
        var forged = await page.APIRequest.PostAsync("/documents/uploads", new() { DataObject = new { fileName = "forged.txt", contentType = "text/plain", sizeBytes = 6 } });
        Assert.Equal(400, forged.Status);
        Assert.Contains("The page is out of date", await forged.TextAsync());

        // A filter no text can hold (a NUL) is the API's refusal naming it, shown on the page, not an error page.
        var hostile = await page.GotoAsync("/documents?tag=%00", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal(200, hostile!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The query parameter 'tag' holds a NUL character");
        // So is an address whose filters are not what they claim (a type that is no id, a date that is no date).
        foreach (var (query, refusal) in new[]
        {
            ("documentType=abc", "The document type in the address ('abc') is not one of the tenant's."),
            ("correspondent=%00x", "The correspondent in the address ('x') is not one of the tenant's."),
            ("dateFrom=2026-13-45", "The date from in the address ('2026-13-45') is not a date: write it as 2026-12-31."),
        })
        {
            var refused = await page.GotoAsync($"/documents?{query}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            Assert.Equal(200, refused!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(refusal);
        }


        // Sign-out ends the provider's session too: going back asks for the password again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await ProviderPages.ArriveAsync(page, "**/signin?**");
        await page.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.StartsWith($"{Provider.GetLeftPart(UriPartial.Authority)}/signin?", page.Url);
        await Assertions.Expect(page.GetByLabel("Password")).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "signed-out-at-the-provider");
    }

    [Fact]
    public async Task A_password_is_never_sent_back_in_a_response_not_even_in_the_body_of_the_sign_in_redirect()
    {
        await using var browser = await WebBrowser.LaunchAsync("password-echo");
        var page = await browser.NewPageAsync(Web);
        await page.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var signIn = page.Url;
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var returnUrl = await page.Locator("input[name=ReturnUrl]").First.GetAttributeAsync("value");

        foreach (var (password, status) in new[] { ("Not-the-password-1", 200), (DemoIdentity.Password, 302) })
        {
            // The provider's form's post as the browser sends it, with the antiforgery cookie of the page; the answer as it comes.
            var form = page.APIRequest.CreateFormData();
            form.Append("__RequestVerificationToken", token!);
            form.Append("ReturnUrl", returnUrl!);
            form.Append("Email", "editor@demo.dms.local");
            form.Append("Password", password);
            var answer = await page.APIRequest.PostAsync(signIn, new() { Form = form, MaxRedirects = 0 });

            Assert.Equal(status, answer.Status);
            Assert.DoesNotContain(password, await answer.TextAsync());
        }
    }

    [Fact]
    public async Task A_restart_of_the_web_app_keeps_people_signed_in()
    {
        await using var browser = await WebBrowser.LaunchAsync("restart");
        var page = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(page, "viewer@demo.dms.local");
        var commands = Running.Model.App.Services.GetRequiredService<ResourceCommandService>();

        Assert.True(Running.Model.App.ResourceNotifications.TryGetCurrentState("web", out var running));
        var (createdBefore, startedBefore) = (running.Snapshot.CreationTimeStamp, running.Snapshot.StartTimeStamp);
        Assert.True((await commands.ExecuteCommandAsync("web", KnownResourceCommands.RestartCommand, Cancellation)).Success);
        // The new process, then healthy: waiting for "healthy" alone could read the stopped process's last state (seen
        // once in a full run: "failed to start"), and waiting for one snapshot that says both hung a full run (the new
        // start time and the health came in different snapshots, and none came after). The new process is the one whose
        // creation or start time is not the old one's: a start time later than the clock before the restart hung a
        // full run too (the snapshot after the restart had a new creation time and still the old start time). Bounded,
        // so a web app that does not come back fails the test instead of stopping the run.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        await Running.Model.App.ResourceNotifications.WaitForResourceAsync(
            "web",
            e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.StartTimeStamp is not null
                && (e.Snapshot.CreationTimeStamp != createdBefore || e.Snapshot.StartTimeStamp != startedBefore),
            deadline.Token);
        await Running.Model.App.ResourceNotifications.WaitForResourceHealthyAsync("web", deadline.Token);
        await page.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        // The session cookie was sealed with keys the restarted server still has: no sign-in page. They are kept in
        // the state folder (not in the user's home folder, ASP.NET's default, shared by every app of that user).
        Assert.EndsWith("/documents", page.Url);
        await Assertions.Expect(page.Locator(".user")).ToHaveTextAsync("viewer@demo.dms.local");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(Running.Model.StateDirectory, "web-keys"), "key-*.xml"));
    }

    [Fact]
    public async Task A_copy_of_the_session_cookie_opens_nothing_after_sign_out_and_no_other_site_can_sign_a_user_out()
    {
        await using var browser = await WebBrowser.LaunchAsync("sign-out");
        var page = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(page, "viewer@demo.dms.local");
        var copied = (await page.Context.CookiesAsync())
            .Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite })
            .ToList();

        // A post to /signout without the page's antiforgery token (what another site could make the browser send)
        // is refused, and the session goes on.
        var forged = await page.APIRequest.PostAsync("/signout", new() { MaxRedirects = 0 });
        await page.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal(400, forged.Status);
        Assert.EndsWith("/documents", page.Url);

        // A viewer who opens the upload page by its address is told it is not theirs (403), and offered no drop zone.
        var upload = await page.GotoAsync("/upload", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal(403, upload!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".dropzone")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync(page, "upload-not-allowed");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await ProviderPages.ArriveAsync(page, "**/signin?**");
        // The cookie as it was before sign-out, in another browser: the session it named is gone.
        var thief = await browser.NewPageAsync(Web, copied);
        await thief.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Contains("/signin", thief.Url);
        await browser.ScreenshotAsync(thief, "copied-cookie-after-sign-out");
    }

    [Fact]
    public async Task A_refresh_token_revoked_at_sign_out_refreshes_nothing()
    {
        var signedIn = await (await Running.Model.ProviderAsync(Cancellation)).SignInAsync("viewer@demo.dms.local", DemoIdentity.Password, cancellationToken: Cancellation);
        using var http = new HttpClient();
        var provider = await WebServerSideAsync(http);

        var revoked = await provider.RevokeAsync(signedIn.GetProperty("refresh_token").GetString()!, Cancellation);
        var refreshed = await provider.RefreshAsync(signedIn.GetProperty("refresh_token").GetString()!, Cancellation);

        Assert.True(revoked);
        Assert.Null(refreshed.Tokens);
        Assert.False(refreshed.Unavailable);
    }

    [Fact]
    public async Task The_web_servers_session_refresh_trades_the_refresh_token_for_an_id_token_the_api_accepts_and_a_bad_one_for_nothing()
    {
        var signedIn = await (await Running.Model.ProviderAsync(Cancellation)).SignInAsync("editor@demo.dms.local", DemoIdentity.Password, cancellationToken: Cancellation);
        using var http = new HttpClient();
        var provider = await WebServerSideAsync(http);

        var refreshed = await provider.RefreshAsync(signedIn.GetProperty("refresh_token").GetString()!, Cancellation);
        var refused = await provider.RefreshAsync("not-a-refresh-token", Cancellation);

        Assert.NotNull(refreshed.Tokens);
        // The provider rotates refresh tokens: each refresh gives a new one.
        Assert.NotEqual(signedIn.GetProperty("refresh_token").GetString(), refreshed.Tokens.RefreshToken);
        Assert.True(refreshed.Tokens.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(10));
        using var api = Running.Model.App.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new("Bearer", refreshed.Tokens.IdToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/api/v1/tenant", Cancellation)).StatusCode);
        Assert.Null(refused.Tokens);
        Assert.NotNull(refused.Problem);
    }

    /// <summary>The web server's calls to the provider (refresh, revoke) as the web app makes them, with its discovery of the provider.</summary>
    private async Task<UserPool> WebServerSideAsync(HttpClient http)
    {
        var provider = await Running.Model.ProviderAsync(Cancellation);
        var oidc = new OpenIdConnectOptions
        {
            ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                new Uri(provider.Authority, ".well-known/openid-configuration").ToString(), new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = false }),
        };
        return new UserPool(http, Options.Create(new UserPoolOptions { Authority = provider.Authority.ToString(), Audience = provider.ClientId }),
            new FixedOptions<OpenIdConnectOptions>(oidc), TimeProvider.System);
    }

    private sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
