using System.Text;
using Dms.EndToEndTests.Web.Pages;
using Dms.TestSupport;
using Microsoft.Playwright;

namespace Dms.EndToEndTests.Web;

/// <summary>
/// An accounts team describes its invoices in the browser: an admin defines the type, its fields and a
/// correspondent; an editor uploads three invoices, describes each and notes one; a saved view lists exactly the unpaid
/// ones from Acme due before March.
/// </summary>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed class DescribingPagesTests(RunningEmbeddedAppModel running) : WebTest(running)
{
    [Fact]
    public async Task The_unpaid_Acme_invoices_due_before_March_are_one_saved_view_away()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var browser = await WebBrowser.LaunchAsync("describing");
        var admin = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(admin, "admin@demo.dms.local");

        await admin.GetByRole(AriaRole.Link, new() { Name = "Types & fields" }).ClickAsync();
        await AddFieldAsync(admin, "amount", "amount of money");
        await AddFieldAsync(admin, "due", "date");
        await AddFieldAsync(admin, "paid", "yes or no");
        await admin.GetByLabel("New type").FillAsync("Invoice");
        await admin.GetByLabel("Description").FillAsync("Bills the team has to pay");
        foreach (var field in new[] { "amount", "due", "paid" })
        {
            await admin.GetByLabel($"A document of the type has {field}", new() { Exact = true }).CheckAsync();
        }

        await admin.GetByLabel("A document of the type must have amount", new() { Exact = true }).CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add type" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToHaveTextAsync("Added the type Invoice.");
        await admin.GetByLabel("New correspondent").FillAsync("Acme");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add correspondent" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToHaveTextAsync("Added Acme.");
        await Assertions.Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "Invoice" })).ToContainTextAsync("amount *, due, paid");
        await browser.ScreenshotAsync(admin, "types-fields-correspondents");

        var editor = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(editor, "editor@demo.dms.local");
        await editor.GetByRole(AriaRole.Link, new() { Name = "Upload", Exact = true }).First.ClickAsync();
        await Assertions.Expect(editor.GetByRole(AriaRole.Heading, new() { Name = "Upload" })).ToBeVisibleAsync();
        var invoices = new[]
        {
            (Name: $"invoice-{run}-february.txt", Due: "2027-02-10", Paid: "no", Amount: "EUR 120.00"),
            (Name: $"invoice-{run}-march.txt", Due: "2027-03-15", Paid: "no", Amount: "EUR 80"),
            (Name: $"invoice-{run}-paid.txt", Due: "2027-01-20", Paid: "yes", Amount: "EUR 45.50"),
        };
        await DocumentPages.DropAsync(editor, invoices.Select(i => (i.Name, "text/plain", Encoding.UTF8.GetBytes($"Invoice {i.Name} from Acme, due {i.Due}."))));
        foreach (var invoice in invoices)
        {
            await Assertions.Expect(editor.Locator(".uploads li").Filter(new() { HasText = invoice.Name }).Locator(".status"))
                .ToHaveTextAsync("ready", new() { Timeout = 120_000 });
        }

        foreach (var invoice in invoices)
        {
            await editor.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await editor.GetByRole(AriaRole.Link, new() { Name = invoice.Name, Exact = true }).ClickAsync();
            await Assertions.Expect(editor.GetByRole(AriaRole.Heading, new() { Name = invoice.Name, Exact = true })).ToBeVisibleAsync();
            if (invoice == invoices[0])
            {
                // The pipeline read a date in the text: the page offers it until someone confirms or sets one.
                await Assertions.Expect(editor.Locator(".details")).ToContainTextAsync($"its text says {invoice.Due}");
                await editor.GetByRole(AriaRole.Button, new() { Name = $"Use {invoice.Due}" }).ClickAsync();
                await Assertions.Expect(editor.Locator(".details dd").Nth(2)).ToHaveTextAsync(invoice.Due);
            }

            await editor.GetByLabel("Document type").SelectOptionAsync(new SelectOptionValue { Label = "Invoice" });
            // Choosing the type marks the field it requires before anything is saved.
            await Assertions.Expect(editor.GetByLabel("amount (")).ToHaveAttributeAsync("required", "");
            await editor.GetByLabel("Correspondent").SelectOptionAsync(new SelectOptionValue { Label = "Acme" });
            if (invoice != invoices[0])
            {
                await editor.GetByLabel("Date", new() { Exact = true }).FillAsync("2026-12-01");
            }

            await editor.GetByLabel("amount (").FillAsync(invoice.Amount);
            await editor.GetByLabel("due (").FillAsync(invoice.Due);
            await editor.GetByLabel("paid (").SelectOptionAsync(new SelectOptionValue { Label = invoice.Paid });
            await editor.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
            await Assertions.Expect(editor.Locator(".details")).ToContainTextAsync("Invoice");
            await Assertions.Expect(editor.Locator(".details")).ToContainTextAsync(invoice.Due);
        }

        await editor.GetByLabel("Add a note").FillAsync("Paid by card; the receipt is in the drawer.");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
        await Assertions.Expect(editor.Locator(".note")).ToContainTextAsync("editor@demo.dms.local");
        await Assertions.Expect(editor.Locator(".details")).ToContainTextAsync("EUR 45.50");
        await browser.ScreenshotAsync(editor, "described-invoice");

        // The view: Invoice, Acme, not paid, due before March.
        await editor.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await editor.GetByLabel("Document type", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Invoice" });
        await editor.GetByLabel("Correspondent", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Acme" });
        await editor.Locator("#ff-0").SelectOptionAsync(new SelectOptionValue { Label = "paid" });
        await editor.Locator("#fo-0").SelectOptionAsync("eq");
        await editor.Locator("#fv-0").FillAsync("false");
        await editor.Locator("#ff-1").SelectOptionAsync(new SelectOptionValue { Label = "due" });
        await editor.Locator("#fo-1").SelectOptionAsync("lt");
        await editor.Locator("#fv-1").FillAsync("2027-03-01");
        // Added since yesterday (all three were): the view keeps that too.
        await editor.GetByLabel("Added from").FillAsync(DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"));
        await editor.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await editor.GetByLabel("Save as a view").FillAsync("Unpaid Acme invoices due before March");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Save view" }).ClickAsync();

        await Assertions.Expect(editor.GetByRole(AriaRole.Heading, new() { Name = "Unpaid Acme invoices due before March" })).ToBeVisibleAsync();
        var rows = editor.Locator("table.documents tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToContainTextAsync(invoices[0].Name);
        await browser.ScreenshotAsync(editor, "saved-view");
        // The view is in the navigation, and opens again from there with the same rows.
        await editor.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await editor.GetByRole(AriaRole.Navigation, new() { Name = "Saved views" }).GetByRole(AriaRole.Link, new() { Name = "Unpaid Acme invoices due before March" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToContainTextAsync(invoices[0].Name);

        // The view as cards with the amount shown, kept in the view and put on the start page.
        await editor.GetByText("Columns and layout").ClickAsync();
        await editor.GetByRole(AriaRole.Checkbox, new() { Name = "Show amount", Exact = true }).CheckAsync();
        await editor.GetByLabel("cards with large thumbnails").CheckAsync();
        await editor.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var card = editor.Locator("ul.cards li");
        await Assertions.Expect(card).ToHaveCountAsync(1);
        await Assertions.Expect(card).ToContainTextAsync("EUR 120.00");
        await browser.ScreenshotAsync(editor, "view-as-cards");
        await OnAPhoneAsync(browser, editor, "view-as-cards-on-a-phone");
        await editor.GetByText("Change this view").ClickAsync();
        await editor.GetByLabel("on the start page").CheckAsync();
        await editor.GetByRole(AriaRole.Button, new() { Name = "Keep the filters, sort and columns shown" }).ClickAsync();
        await Assertions.Expect(rows.Locator("td[data-column=field]").First).ToHaveTextAsync("EUR 120.00");
        await editor.GotoAsync("/", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var onStartPage = editor.Locator(".start-views section").Filter(new() { HasText = "Unpaid Acme invoices due before March" });
        await Assertions.Expect(onStartPage.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Unpaid Acme invoices due before March", invoices[0].Name]);
        await browser.ScreenshotAsync(editor, "start-page");

        // Nothing was added after today.
        await editor.GotoAsync($"/documents?addedFrom={DateTime.UtcNow.AddDays(1):yyyy-MM-dd}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(editor.GetByText("No documents match.")).ToBeVisibleAsync();

        // The invoices by when they are due, earliest first.
        await editor.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await editor.GetByLabel("Document type", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Invoice" });
        await editor.GetByLabel("Sort").SelectOptionAsync(new SelectOptionValue { Label = "due, earliest first" });
        await editor.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(rows.Locator("td[data-column=title] a")).ToHaveTextAsync([invoices[2].Name, invoices[0].Name, invoices[1].Name]);

        // A search by a field's value in the words, counted by type and correspondent; and by two values.
        await editor.GotoAsync("/search?q=paid%3Ano", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var hits = editor.Locator(".hits li .hit-title a");
        await Assertions.Expect(hits).ToHaveCountAsync(2);
        var facets = editor.GetByRole(AriaRole.Navigation, new() { Name = "Narrow the search" });
        await Assertions.Expect(facets.GetByRole(AriaRole.Link, new() { Name = "Invoice (2)" })).ToBeVisibleAsync();
        await Assertions.Expect(facets.GetByRole(AriaRole.Link, new() { Name = "Acme (2)" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(editor, "search-by-field");
        await OnAPhoneAsync(browser, editor, "search-by-field-on-a-phone");
        await editor.GetByLabel("Words to find").FillAsync("paid:no due:2027-02-10");
        await editor.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(hits).ToHaveTextAsync([invoices[0].Name]);

        // A view no longer wanted is removed; its documents stay.
        await editor.GetByRole(AriaRole.Navigation, new() { Name = "Saved views" }).GetByRole(AriaRole.Link, new() { Name = "Unpaid Acme invoices due before March" }).ClickAsync();
        await editor.GetByText("Change this view").ClickAsync();
        await editor.GetByRole(AriaRole.Button, new() { Name = "Remove view" }).ClickAsync();
        await editor.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Remove view" }).ClickAsync();
        await Assertions.Expect(editor.GetByRole(AriaRole.Heading, new() { Name = "Documents" })).ToBeVisibleAsync();
        // (Other tests' views of the same editor may stay under the navigation.)
        await Assertions.Expect(editor.GetByRole(AriaRole.Link, new() { Name = "Unpaid Acme invoices due before March" })).ToHaveCountAsync(0);
        await Assertions.Expect(editor.GetByRole(AriaRole.Link, new() { Name = invoices[0].Name })).ToBeVisibleAsync();

        // The admin renames a field: the type and every value keep it.
        await admin.GotoAsync("/manage", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await admin.GetByRole(AriaRole.Link, new() { Name = "Change the field due" }).ClickAsync();
        await admin.GetByLabel("Name of the field").FillAsync("due date");
        await browser.ScreenshotAsync(admin, "change-field");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save field" }).ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved the field due date.");
        await Assertions.Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "Invoice" })).ToContainTextAsync("amount *, due date, paid");
        await Assertions.Expect(admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "due date" }).Last).ToContainTextAsync("3");
    }

    private static async Task AddFieldAsync(IPage page, string name, string holds)
    {
        await page.GetByLabel("New field").FillAsync(name);
        await page.GetByLabel("It holds").SelectOptionAsync(new SelectOptionValue { Label = holds });
        await page.GetByRole(AriaRole.Button, new() { Name = "Add field" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Added the field {name}.");
    }
}
