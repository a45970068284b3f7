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

/// <summary>The operator's pages in a browser: dead letters redriven, a tenant and its admin added.</summary>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed class OperatorPagesTests(RunningEmbeddedAppModel running) : WebTest(running)
{
    [Fact]
    public async Task The_operator_sees_a_dead_letter_with_its_error_and_redrives_it_from_the_page_once_the_scanner_is_back()
    {
        using var editor = await Running.Model.SignInAsync("editor", Cancellation);
        var commands = Running.Model.App.Services.GetRequiredService<ResourceCommandService>();
        Guid id;
        Assert.True((await commands.ExecuteCommandAsync("scanner", KnownResourceCommands.StopCommand, Cancellation)).Success);
        try
        {
            id = (await DocumentUploads.UploadAsync(editor, Encoding.UTF8.GetBytes("Waits for the scanner"), "dead-letter.txt", "text/plain", cancellationToken: Cancellation)).Id;
            var failed = await DocumentUploads.WaitForStatusAsync(editor, id, ["failed"], TimeSpan.FromMinutes(1), Cancellation);
            Assert.StartsWith("Malware scan timeout", failed.FailureReason);
        }
        finally
        {
            await Running.Model.StartAgainAsync("scanner", CancellationToken.None);
        }

        await using var browser = await WebBrowser.LaunchAsync("operator");
        var page = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(page, "operator@demo.dms.local", "operator");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Operations" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "DLQ messages" })).ToContainTextAsync("ALERT");
        var letter = page.GetByRole(AriaRole.Row).Filter(new() { HasText = id.ToString() });
        await Assertions.Expect(letter).ToContainTextAsync("Demo");
        await Assertions.Expect(letter.Locator(".error")).ToContainTextAsync("scan");
        await browser.ScreenshotAsync(page, "dead-letter");

        await letter.GetByRole(AriaRole.Button, new() { Name = "Redrive" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("1 dead letter redriven.");
        await Assertions.Expect(letter).ToHaveCountAsync(0);
        await browser.ScreenshotAsync(page, "redriven");
        var ready = await DocumentUploads.WaitForStatusAsync(editor, id, ["ready"], TimeSpan.FromMinutes(1), Cancellation);
        Assert.Equal("ready", ready.Status);
    }

    [Fact]
    public async Task The_operator_adds_a_tenant_and_its_admin_who_signs_in_sees_the_usage_and_adds_a_viewer()
    {
        var tenantName = $"Harbour office {Guid.NewGuid():N}"[..22];
        var adminEmail = $"admin-{Guid.NewGuid():N}@harbour.dms.local";
        await using var browser = await WebBrowser.LaunchAsync("tenants");
        var page = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(page, "operator@demo.dms.local", "operator");

        await page.GetByRole(AriaRole.Link, new() { Name = "Tenants" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Demo" })).ToBeVisibleAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(tenantName);
        await page.GetByLabel("Storage quota (GiB)").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add tenant" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = tenantName })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".usage")).ToContainTextAsync("0 B of 2 GiB used");

        await page.GetByLabel("Days in the trash before deletion").FillAsync("45");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        await Assertions.Expect(page.GetByLabel("Days in the trash before deletion")).ToHaveValueAsync("45");
        // An address whose flags are not what they claim is the page without them, not an error page.
        var tenantPage = page.Url.Split('?')[0];
        foreach (var (address, unsaid) in new[] { ($"{tenantPage}?saved=maybe", "Saved."), ("/operator?did=redrive&count=many", "redriven") })
        {
            var shown = await page.GotoAsync(address, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            Assert.Equal(200, shown!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading).First).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByText(unsaid)).ToHaveCountAsync(0);
        }

        await page.GotoAsync(tenantPage, new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        await page.GetByLabel("E-mail address").FillAsync(adminEmail);
        await page.GetByLabel("Role").SelectOptionAsync("admin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        var temporaryPassword = await page.Locator("code.secret").TextContentAsync();
        Assert.False(string.IsNullOrWhiteSpace(temporaryPassword));
        await browser.ScreenshotAsync(page, "tenant-added");

        var adminPage = await browser.NewPageAsync(Web);
        await adminPage.GotoAsync("/signin", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await adminPage.GetByLabel("E-mail address").FillAsync(adminEmail);
        await adminPage.GetByLabel("Password").FillAsync(temporaryPassword!);
        await adminPage.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ProviderPages.ChooseAPasswordAsync(adminPage);
        await ProviderPages.ArriveAsync(adminPage, "**/documents");

        await adminPage.GetByRole(AriaRole.Link, new() { Name = "Tenant", Exact = true }).ClickAsync();
        await Assertions.Expect(adminPage.GetByRole(AriaRole.Heading, new() { Name = tenantName })).ToBeVisibleAsync();
        await Assertions.Expect(adminPage.Locator(".usage")).ToContainTextAsync("0 B of 2 GiB used (0 %)");
        await Assertions.Expect(adminPage.Locator(".details")).ToContainTextAsync("45 days");
        var viewerEmail = $"viewer-{Guid.NewGuid():N}@harbour.dms.local";
        await adminPage.GetByLabel("E-mail address").FillAsync(viewerEmail);
        await adminPage.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await Assertions.Expect(adminPage.GetByRole(AriaRole.Status)).ToContainTextAsync("as viewer");
        await browser.ScreenshotAsync(adminPage, "tenant-admin-added-a-viewer");

        // The users table: the admin's own row offers nothing; the viewer's can be disabled (asked once) and reset.
        var users = adminPage.Locator("table.users");
        await Assertions.Expect(users.GetByRole(AriaRole.Row).Filter(new() { HasText = adminEmail })).ToContainTextAsync("you");
        await Assertions.Expect(users.GetByRole(AriaRole.Row).Filter(new() { HasText = viewerEmail })).ToContainTextAsync("has not chosen a password yet");
        await adminPage.GetByRole(AriaRole.Button, new() { Name = $"Disable {viewerEmail}" }).ClickAsync();
        await adminPage.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Assertions.Expect(adminPage.GetByRole(AriaRole.Status).First).ToContainTextAsync($"{viewerEmail} is disabled");
        await Assertions.Expect(users.GetByRole(AriaRole.Row).Filter(new() { HasText = viewerEmail })).ToContainTextAsync("disabled");
        await adminPage.GetByRole(AriaRole.Button, new() { Name = $"Reset {viewerEmail}" }).ClickAsync();
        await adminPage.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();
        await Assertions.Expect(adminPage.GetByRole(AriaRole.Status).First).ToContainTextAsync($"New temporary password for {viewerEmail}");
        Assert.NotEqual(temporaryPassword, await adminPage.Locator("code.secret").TextContentAsync());
        await browser.ScreenshotAsync(adminPage, "tenant-users");
        // On a phone the table fits: its buttons are on the screen, not past its right edge.
        await adminPage.SetViewportSizeAsync(390, 844);
        var remove = await adminPage.GetByRole(AriaRole.Button, new() { Name = $"Remove {viewerEmail}" }).BoundingBoxAsync();
        Assert.True(remove is { } box && box.X + box.Width <= 390, $"The remove button is past the phone's edge: {remove?.X}+{remove?.Width}");
        Assert.True(await adminPage.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 390"), "The page scrolls sideways on a phone.");
        await browser.ScreenshotAsync(adminPage, "tenant-users-phone");
    }
}
