using System.Net;
using System.Text;
using Dms.EndToEndTests.Web.Pages;
using Dms.TestSupport;
using Microsoft.Playwright;

namespace Dms.EndToEndTests.Web;

/// <summary>
/// Groups and a document's permissions in a browser: an admin makes a group with the viewer in it and shares a
/// document with the group only; the editor, outside it, does not find the document in the list, the search or its
/// facets, and its address is a 404; the viewer, a member, finds it everywhere. The admin then gives the document to
/// the group.
/// </summary>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed class PermissionsPagesTests(RunningEmbeddedAppModel running) : WebTest(running)
{
    [Fact]
    public async Task An_admin_restricts_a_document_to_a_group_whose_member_finds_it_while_a_user_outside_finds_it_nowhere()
    {
        using var admin = await Running.Model.SignInAsync("admin", Cancellation);
        var run = Guid.NewGuid().ToString("N")[..8];
        var (word, tag, group) = ($"quorum{run}", $"board-{run}", $"Board {run}");
        var uploaded = await DocumentUploads.UploadAsync(admin, Encoding.UTF8.GetBytes($"Minutes of the board: {word} reached."), $"minutes-{run}.txt", "text/plain", [tag], Cancellation);
        await DocumentUploads.WaitForStatusAsync(admin, uploaded.Id, ["ready"], TimeSpan.FromMinutes(2), Cancellation);

        await using var browser = await WebBrowser.LaunchAsync("permissions");
        var page = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(page, "admin@demo.dms.local");
        await page.GetByRole(AriaRole.Link, new() { Name = "Groups", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/groups", Loaded);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(group);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var created = page.Locator("article.group").Filter(new() { HasText = group });
        await created.GetByLabel($"Add to {group}").SelectOptionAsync(new SelectOptionValue { Label = "viewer@demo.dms.local" });
        await created.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Assertions.Expect(created.Locator(".members")).ToContainTextAsync("viewer@demo.dms.local");
        await browser.ScreenshotAsync(page, "groups");

        await page.GotoAsync($"/documents/{uploaded.Id}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var permissions = page.Locator("section[aria-labelledby=permissions-heading]");
        await Assertions.Expect(permissions).ToContainTextAsync("Everyone in the tenant sees this document.");
        await permissions.GetByLabel("Share with").SelectOptionAsync(new SelectOptionValue { Label = $"{group} (group)" });
        await permissions.GetByLabel("Who may").SelectOptionAsync(new SelectOptionValue { Label = "read it" });
        await permissions.GetByRole(AriaRole.Button, new() { Name = "Share", Exact = true }).ClickAsync();
        await Assertions.Expect(permissions).ToContainTextAsync("Only its owner, those it is shared with below and the tenant's admins see this document.");
        await Assertions.Expect(permissions.Locator("table.grants tbody tr")).ToContainTextAsync($"{group} (group)");
        await Assertions.Expect(page.Locator("section[aria-labelledby=history-heading]")).ToContainTextAsync("changed who may see it");
        await browser.ScreenshotAsync(page, "document-shared-with-a-group");

        // The editor is outside the group: the document is nowhere, and its address is not found.
        var outsider = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(outsider, "editor@demo.dms.local");
        await outsider.GotoAsync($"/documents?tag={tag}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(outsider.GetByRole(AriaRole.Heading, new() { Name = "Documents" })).ToBeVisibleAsync();
        await Assertions.Expect(outsider.GetByText($"minutes-{run}.txt")).ToHaveCountAsync(0);
        await outsider.GotoAsync($"/search?q={word}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(outsider.Locator("p.summary")).ToContainTextAsync("0 documents");
        await Assertions.Expect(outsider.Locator("nav.facets")).ToHaveCountAsync(0);
        await outsider.GotoAsync($"/documents/{uploaded.Id}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(outsider.GetByRole(AriaRole.Alert)).ToContainTextAsync("The document does not exist.");
        Assert.Equal((int)HttpStatusCode.NotFound, (await outsider.APIRequest.GetAsync($"/documents/{uploaded.Id}/content")).Status);
        await browser.ScreenshotAsync(outsider, "not-found-outside-the-group");

        // The viewer is in the group: the list, the search and its facets have it.
        var member = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(member, "viewer@demo.dms.local");
        await member.GotoAsync($"/documents?tag={tag}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(member.Locator("table.documents").GetByRole(AriaRole.Row).Filter(new() { HasText = $"minutes-{run}.txt" })).ToBeVisibleAsync();
        await member.GotoAsync($"/search?q={word}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(member.Locator("p.summary")).ToContainTextAsync("1 document");
        await Assertions.Expect(member.Locator("nav.facets")).ToContainTextAsync($"#{tag} (1)");
        await member.Locator(".hits li").GetByRole(AriaRole.Link).First.ClickAsync();
        await Assertions.Expect(member.Locator("section[aria-labelledby=permissions-heading]")).ToContainTextAsync($"{group} (group)");
        await Assertions.Expect(member.GetByRole(AriaRole.Button, new() { Name = "Share", Exact = true })).ToHaveCountAsync(0);
        await browser.ScreenshotAsync(member, "found-by-a-member");

        // The admin gives the document to the group: its owner is now the group, the grant stays.
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await permissions.GetByLabel("Owner").SelectOptionAsync(new SelectOptionValue { Label = $"{group} (group)" });
        await permissions.GetByRole(AriaRole.Button, new() { Name = "Change owner" }).ClickAsync();
        await Assertions.Expect(permissions.Locator("p.summary")).ToContainTextAsync($"Owner: {group}");
        await Assertions.Expect(permissions.Locator("table.grants tbody tr")).ToContainTextAsync($"{group} (group)");
        await browser.ScreenshotAsync(page, "document-owned-by-a-group");
        await OnAPhoneAsync(browser, page, "document-permissions-on-a-phone");
    }
}
