using System.Net.Http.Json;
using System.Text;
using Dms.Contracts.Client;
using Dms.Contracts.Http;
using Dms.EndToEndTests.Web.Pages;
using Dms.TestSupport;
using Microsoft.Playwright;

namespace Dms.EndToEndTests.Web;

/// <summary>
/// A document type's retention in a browser: an admin gives a type a rule (review 30 days after the document's date),
/// the worker's sweep flags a document of that type dated long ago, and the admin finds it under *Due for review*,
/// keeps it, and sees both in its History.
/// </summary>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed class RetentionPagesTests(RunningEmbeddedAppModel running) : WebTest(running)
{
    [Fact]
    public async Task A_document_past_its_types_retention_is_flagged_for_review_found_and_kept_by_an_admin()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var (typeName, fileName) = ($"Receipt {run}", $"receipt-{run}.txt");
        await using var browser = await WebBrowser.LaunchAsync("retention");
        var page = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(page, "admin@demo.dms.local");
        await page.GotoAsync("/manage", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GetByLabel("New type").FillAsync(typeName);
        await page.GetByLabel("Keep its documents (days)").FillAsync("30");
        await page.GetByLabel("counted from").SelectOptionAsync(new SelectOptionValue { Label = "the document's date (else when added)" });
        await page.GetByLabel("then", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "flag it for review" });
        await browser.ScreenshotAsync(page, "type-with-retention");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add type" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = typeName })).ToContainTextAsync("30 days from its date, then review");

        // A receipt of 2020: its type's 30 days have long passed.
        using var admin = await Running.Model.SignInAsync("admin", Cancellation);
        var uploaded = await DocumentUploads.UploadAsync(admin, Encoding.UTF8.GetBytes($"Receipt {run} for a lunch."), fileName, "text/plain", cancellationToken: Cancellation);
        var types = await admin.GetFromJsonAsync<List<DocumentTypeResponse>>("/api/v1/document-types", DmsApiClient.Json, Cancellation);
        var typed = await admin.PatchAsJsonAsync($"/api/v1/documents/{uploaded.Id}",
            new UpdateDocumentRequest(null, null, DocumentTypeId: types!.Single(t => t.Name == typeName).Id, DocumentDate: new DateOnly(2020, 3, 1)), DmsApiClient.Json, Cancellation);
        typed.EnsureSuccessStatusCode();

        // The worker's sweep (every five seconds in these tests) flags it.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while ((await admin.GetFromJsonAsync<DocumentResponse>($"/api/v1/documents/{uploaded.Id}", DmsApiClient.Json, Cancellation))!.RetentionDueAt is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The retention sweep did not flag the document within three minutes.");
            await Task.Delay(2_000, Cancellation);
        }

        await page.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GetByRole(AriaRole.Link, new() { Name = "Due for review" }).ClickAsync();
        await page.WaitForURLAsync("**/documents?retention=due", Loaded);
        await page.Locator("table.documents").GetByRole(AriaRole.Link, new() { Name = fileName, Exact = true }).ClickAsync();
        // The document's page loads a dozen parts: on cores both test suites load, it has taken longer than an expectation's 20 s.
        await page.WaitForURLAsync($"**/documents/{uploaded.Id}", Loaded);
        await Assertions.Expect(page.GetByText("its type's retention has passed")).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "document-due-for-review");
        await page.GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync();
        await Assertions.Expect(page.GetByText("its type's retention has passed")).ToHaveCountAsync(0);
        var history = page.Locator("section[aria-labelledby=history-heading]");
        await Assertions.Expect(history).ToContainTextAsync("kept it past its retention");
        await Assertions.Expect(history).ToContainTextAsync("flagged it for review (retention)");
        await browser.ScreenshotAsync(page, "document-kept-past-retention");
        Assert.Null((await admin.GetFromJsonAsync<DocumentResponse>($"/api/v1/documents/{uploaded.Id}", DmsApiClient.Json, Cancellation))!.RetentionDueAt);
    }
}
