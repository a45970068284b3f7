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

/// <summary>A user's own account at the provider, through the web app: the first sign-in's password, two-factor codes, passkeys.</summary>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed class AccountTests(RunningEmbeddedAppModel running) : WebTest(running)
{
    /// <summary>
    /// The new-password step is the user's own: a post to it without that user's step (here from a browser that signed
    /// in as nobody) neither signs the browser in nor sets a password. (The integration tests copy the step's cookie
    /// too: once used, it sets nothing again.)
    /// </summary>
    [Fact]
    public async Task A_forged_first_sign_in_post_takes_over_no_user_waiting_for_theirs()
    {
        var (username, temporaryPassword) = await Running.Model.CreateTenantUserAsync("Forged sign-in tenant", "viewer", Cancellation);
        await using var browser = await WebBrowser.LaunchAsync("forged-first-sign-in");
        var page = await browser.NewPageAsync(Web);
        await page.GotoAsync("/signin", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");

        var form = page.APIRequest.CreateFormData();
        form.Append("__RequestVerificationToken", token!);
        form.Append("Email", username);
        form.Append("NewPassword", "Taken-over-1a!");
        form.Append("Confirmation", "Taken-over-1a!");
        var forged = await page.APIRequest.PostAsync(new Uri(Provider, "/signin/new-password").ToString(), new() { Form = form, MaxRedirects = 0 });

        Assert.Equal(302, forged.Status);
        Assert.StartsWith("/signin", forged.Headers["location"]);
        // The user's temporary password still leads to their own first sign-in: nothing was set for them.
        await page.GotoAsync("/signin", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GetByLabel("E-mail address").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(temporaryPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose your password" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "still-the-users-own");
    }

    /// <summary>
    /// A user turns two-factor sign-in on at the provider's account page with the key it shows (the code computed as
    /// their authenticator app would), signs out, and then gets in only with a code after the password.
    /// </summary>
    [Fact]
    public async Task A_user_with_two_factor_on_cannot_sign_in_without_the_code_their_app_shows()
    {
        var (username, temporaryPassword) = await Running.Model.CreateTenantUserAsync("Two-factor tenant", "viewer", Cancellation);
        await using var browser = await WebBrowser.LaunchAsync("two-factor");
        var page = await browser.NewPageAsync(Web);
        await page.GotoAsync("/signin", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GetByLabel("E-mail address").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(temporaryPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var chosen = await ProviderPages.ChooseAPasswordAsync(page);
        await ProviderPages.ArriveAsync(page, "**/documents");

        await page.GotoAsync(new Uri(Provider, "/account").ToString(), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var key = await page.GetByLabel("Authenticator key").TextContentAsync();
        await browser.ScreenshotAsync(page, "two-factor-setup");
        var used = AuthenticatorApp.CodeFor(key!);
        await page.GetByLabel("Code from the app").FillAsync(used);
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn two-factor sign-in on" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Two-factor sign-in is on");
        await Assertions.Expect(page.Locator(".recovery-codes li")).ToHaveCountAsync(10);
        await browser.ScreenshotAsync(page, "two-factor-recovery-codes");
        // The page whole, its scripts run, before the click: a click while they start can be lost.
        await page.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.Load });
        await Assertions.Expect(page.Locator(".user")).ToHaveTextAsync(username);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await ProviderPages.ArriveAsync(page, "**/signin?**");

        // The password alone: the provider asks for the code, and the web app still counts the browser as signed out.
        await page.GetByLabel("E-mail address").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(chosen);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor sign-in" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "two-factor-code");
        var twoFactor = page.Url;
        await page.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.StartsWith($"{Provider.GetLeftPart(UriPartial.Authority)}/signin?", page.Url);

        await page.GotoAsync(twoFactor, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        // A code works once: the next one the app shows (a new one every 30 seconds).
        while (AuthenticatorApp.CodeFor(key!) == used)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), Cancellation);
        }

        await page.GetByLabel("Code").FillAsync(AuthenticatorApp.CodeFor(key!));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Back at the web app, on the page the sign-in started from (its start page), signed in as the user.
        await page.WaitForURLAsync(url => url.StartsWith(Web.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator(".user")).ToHaveTextAsync(username);
        await browser.ScreenshotAsync(page, "two-factor-signed-in");
    }

    /// <summary>
    /// A user adds a passkey on the provider's account page, signs out, and signs in again with the passkey alone: no
    /// password typed. The device is Chromium's virtual authenticator (<see cref="WebBrowser.AddPasskeyDeviceAsync"/>).
    /// </summary>
    [Fact]
    public async Task A_user_adds_a_passkey_and_signs_in_with_it_without_their_password()
    {
        var (username, temporaryPassword) = await Running.Model.CreateTenantUserAsync("Passkey tenant", "editor", Cancellation);
        await using var browser = await WebBrowser.LaunchAsync("passkey");
        var page = await browser.NewPageAsync(Web);
        await WebBrowser.AddPasskeyDeviceAsync(page);
        await page.GotoAsync("/signin", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GetByLabel("E-mail address").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(temporaryPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ProviderPages.ChooseAPasswordAsync(page);
        await ProviderPages.ArriveAsync(page, "**/documents");

        // The user's name in the web app's header leads to their account at the provider.
        await page.GetByRole(AriaRole.Link, new() { Name = username }).ClickAsync();
        await page.WaitForURLAsync($"{Provider.GetLeftPart(UriPartial.Authority)}/account", new() { WaitUntil = WaitUntilState.Load });
        await page.GetByLabel("Name of the passkey").FillAsync("Test laptop");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a passkey" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The passkey “Test laptop” is added");
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Your passkeys" })).ToContainTextAsync("Test laptop");
        await browser.ScreenshotAsync(page, "passkey-added");

        await page.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.Load });
        await Assertions.Expect(page.Locator(".user")).ToHaveTextAsync(username);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await ProviderPages.ArriveAsync(page, "**/signin?**");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();
        // Back at the web app, signed in as the user, with no password typed.
        await page.WaitForURLAsync(url => url.StartsWith(Web.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator(".user")).ToHaveTextAsync(username);
        await browser.ScreenshotAsync(page, "passkey-signed-in");
    }

    [Fact]
    public async Task A_new_users_first_sign_in_sets_their_password_and_they_see_only_their_tenants_documents()
    {
        using var demo = await Running.Model.SignInAsync("editor", Cancellation);
        var demoFile = $"demo-only-{Guid.NewGuid():N}.txt";
        var demoDocument = await DocumentUploads.UploadAsync(demo, Encoding.UTF8.GetBytes("Only the demo tenant's"), demoFile, "text/plain", cancellationToken: Cancellation);
        var (username, temporaryPassword) = await Running.Model.CreateTenantUserAsync("Web test tenant", "viewer", Cancellation);
        await using var browser = await WebBrowser.LaunchAsync("first-sign-in");
        var page = await browser.NewPageAsync(Web);

        await page.GotoAsync("/signin", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GetByLabel("E-mail address").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(temporaryPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose your password" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "new-password");
        await ProviderPages.ChooseAPasswordAsync(page);
        await ProviderPages.ArriveAsync(page, "**/documents");

        await Assertions.Expect(page.GetByText("No documents yet.")).ToBeVisibleAsync();
        Assert.DoesNotContain(demoFile, await page.ContentAsync());
        await browser.ScreenshotAsync(page, "documents-of-a-new-tenant");

        // Nor by its address: to this tenant's user the demo tenant's document does not exist.
        await page.GotoAsync($"/documents/{demoDocument.Id}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not exist");
        Assert.DoesNotContain(demoFile, await page.ContentAsync());
    }
}
