using System.Net.Http.Json;
using System.Text;
using Dms.EndToEndTests.Web.Pages;
using Dms.TestSupport;
using Microsoft.Playwright;

namespace Dms.EndToEndTests.Web;

/// <summary>
/// The audit trail and legal holds in a browser: a document's History, the tenant admin's Audit page with its filters,
/// its CSV download and the check of the chain; a hold placed on the Holds page, shown on the document, which then
/// offers no trash until the hold is lifted; the pages on a phone; a viewer neither offered nor served them.
/// </summary>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed class AuditPagesTests(RunningEmbeddedAppModel running) : WebTest(running)
{
    [Fact]
    public async Task An_admin_reads_who_changed_a_document_finds_it_on_the_audit_page_downloads_the_csv_and_checks_the_chain()
    {
        using var editor = await Running.Model.SignInAsync("editor", Cancellation);
        var run = Guid.NewGuid().ToString("N")[..8];
        var uploaded = await DocumentUploads.UploadAsync(editor, Encoding.UTF8.GetBytes($"Audited {run}"), $"audited-{run}.txt", "text/plain", cancellationToken: Cancellation);
        (await editor.PatchAsJsonAsync($"/api/v1/documents/{uploaded.Id}", new { title = $"Lease {run}" }, Cancellation)).EnsureSuccessStatusCode();

        await using var browser = await WebBrowser.LaunchAsync("audit");
        var page = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(page, "admin@demo.dms.local");
        await page.GotoAsync($"/documents/{uploaded.Id}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var history = page.Locator("section[aria-labelledby=history-heading] table tbody tr");
        var edited = history.Filter(new() { HasText = "edited" });
        await Assertions.Expect(edited).ToContainTextAsync("editor@demo.dms.local");
        await Assertions.Expect(edited).ToContainTextAsync($"title: “audited-{run}.txt” → “Lease {run}”");
        await Assertions.Expect(history.Filter(new() { HasText = "added the document" })).ToHaveCountAsync(1);
        await browser.ScreenshotAsync(page, "document-history");

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/audit", Loaded);
        await page.GetByLabel("Document", new() { Exact = true }).FillAsync(uploaded.Id.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var rows = page.Locator("table.audit tbody tr");
        await Assertions.Expect(rows.Filter(new() { HasText = "edited" })).ToHaveCountAsync(1);
        await Assertions.Expect(rows.Filter(new() { HasText = "viewed" }).Filter(new() { HasText = "admin@demo.dms.local" })).Not.ToHaveCountAsync(0);
        await Assertions.Expect(rows.First).ToContainTextAsync("from ");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "CSV" }).ClickAsync());
        var csv = await File.ReadAllLinesAsync(await download.PathAsync(), Cancellation);
        Assert.StartsWith("id,occurredAt,action", csv[0]);
        Assert.All(csv.Skip(1), line => Assert.Contains(uploaded.Id.ToString(), line));
        Assert.Contains(csv, line => line.Contains("document.edited") && line.Contains("editor@demo.dms.local"));

        await page.GetByLabel("What", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Sign-ins and users" });
        await page.GetByLabel("Document", new() { Exact = true }).FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(rows.Filter(new() { HasText = "signed in" }).Filter(new() { HasText = "admin@demo.dms.local" })).Not.ToHaveCountAsync(0);
        await browser.ScreenshotAsync(page, "audit");

        await page.GetByRole(AriaRole.Button, new() { Name = "Check the chain" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Intact:");
        await browser.ScreenshotAsync(page, "audit-checked");

        await OnAPhoneAsync(browser, page, "audit-on-a-phone");
    }

    [Fact]
    public async Task An_admin_holds_every_document_of_a_tag_which_then_offers_no_trash_until_the_hold_is_lifted()
    {
        using var editor = await Running.Model.SignInAsync("editor", Cancellation);
        var tag = $"matter-{Guid.NewGuid():N}"[..16];
        var uploaded = await DocumentUploads.UploadAsync(editor, Encoding.UTF8.GetBytes($"Held {tag}"), $"{tag}.txt", "text/plain", [tag], Cancellation);

        await using var browser = await WebBrowser.LaunchAsync("holds");
        var page = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(page, "admin@demo.dms.local");
        await page.GetByRole(AriaRole.Link, new() { Name = "Holds", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/holds", Loaded);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync($"Case {tag}");
        await page.GetByLabel("Reason", new() { Exact = true }).FillAsync("Keep everything about the lease.");
        await page.GetByLabel("Every document tagged").FillAsync(tag);
        await page.GetByRole(AriaRole.Button, new() { Name = "Place the hold" }).ClickAsync();
        var row = page.Locator("table.holds tbody tr").Filter(new() { HasText = $"Case {tag}" });
        await Assertions.Expect(row).ToContainTextAsync("in force");
        await browser.ScreenshotAsync(page, "holds");

        await page.GotoAsync($"/documents/{uploaded.Id}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.GetByRole(AriaRole.Note)).ToContainTextAsync($"Under legal hold (Case {tag})");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Move to trash" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("section[aria-labelledby=history-heading] tbody tr").Filter(new() { HasText = "placed a legal hold" })).ToHaveCountAsync(1);
        await browser.ScreenshotAsync(page, "held-document");
        var trash = await editor.DeleteAsync($"/api/v1/documents/{uploaded.Id}", Cancellation);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, trash.StatusCode);

        await page.GotoAsync("/holds", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await OnAPhoneAsync(browser, page, "holds-on-a-phone");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Lift the hold Case {tag}" }).ClickAsync();
        var question = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(question).ToContainTextAsync($"Lift the hold “Case {tag}”?");
        await question.GetByRole(AriaRole.Button).Filter(new() { HasNotText = "Cancel" }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("lifted");
        await page.GotoAsync($"/documents/{uploaded.Id}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Move to trash" })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_viewer_is_not_offered_the_audit_page_and_is_refused_it()
    {
        await using var browser = await WebBrowser.LaunchAsync("audit-viewer");
        var page = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(page, "viewer@demo.dms.local");
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Audit" })).ToHaveCountAsync(0);

        await page.GotoAsync("/audit", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table.audit")).ToHaveCountAsync(0);
    }
}
