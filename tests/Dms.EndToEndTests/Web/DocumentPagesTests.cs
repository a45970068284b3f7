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

/// <summary>The documents pages in a browser: search, upload by drop, live statuses, tags, the trash, bulk actions, paging, page images.</summary>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed class DocumentPagesTests(RunningEmbeddedAppModel running) : WebTest(running)
{
    [Fact]
    public async Task The_editor_finds_a_document_by_a_word_of_its_text_and_markup_in_it_stays_text()
    {
        using var api = await Running.Model.SignInAsync("editor", Cancellation);
        var word = $"zebra{Guid.NewGuid():N}"[..16];
        var uploaded = await DocumentUploads.UploadAsync(api, Encoding.UTF8.GetBytes($"The quarterly {word} report <script>document.title='owned'</script> ends here."),
            $"{word}.txt", "text/plain", cancellationToken: Cancellation);
        var ready = await DocumentUploads.WaitForStatusAsync(api, uploaded.Id, ["ready", "failed"], TimeSpan.FromMinutes(2), Cancellation);
        Assert.Equal("ready", ready.Status);
        await using var browser = await WebBrowser.LaunchAsync("search");
        var page = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(page, "editor@demo.dms.local");

        await page.GetByRole(AriaRole.Link, new() { Name = "Search" }).ClickAsync();
        // As you type: no button pressed, the results come as the typing pauses, and the address follows.
        await page.GetByLabel("Words to find").PressSequentiallyAsync(word, new() { Delay = 30 });

        var hit = page.Locator(".hits li").Filter(new() { HasText = $"{word}.txt" });
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/search\\?q={word}$"));
        await Assertions.Expect(hit).ToBeVisibleAsync();
        await Assertions.Expect(hit.Locator("mark")).ToHaveTextAsync(word);
        await Assertions.Expect(hit.Locator(".snippet")).ToContainTextAsync("document.title='owned'");
        Assert.Equal(0, await page.Locator(".snippet script").CountAsync());
        Assert.NotEqual("owned", await page.TitleAsync());
        await browser.ScreenshotAsync(page, "results");

        // A query the API refuses shows its reason, not an error page.
        await page.GotoAsync($"/search?q={word}&cursor=not-a-cursor", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("cursor must be one returned by an earlier search.");
        await browser.ScreenshotAsync(page, "refused");
    }

    [Fact]
    public async Task The_editor_drops_three_files_watches_them_turn_ready_finds_a_word_only_ocr_read_tags_trashes_and_restores()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        const string ocrWord = "pelican";
        var files = new[]
        {
            (Name: $"web-{run}-statement.pdf", Type: "application/pdf", Bytes: SampleDocuments.TextPdf("Annual statement, typed")),
            (Name: $"web-{run}-scan.pdf", Type: "application/pdf", Bytes: await SampleDocuments.ScannedPdf($"Delivery note for the {ocrWord} harbour")),
            (Name: $"web-{run}-photo.png", Type: "image/png", Bytes: await SampleDocuments.PngOfText("Photo of a whiteboard")),
        };
        await using var browser = await WebBrowser.LaunchAsync("upload");
        var page = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(page, "editor@demo.dms.local");

        await page.GetByRole(AriaRole.Link, new() { Name = "Upload", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Upload" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "upload");
        await DocumentPages.DropAsync(page, files.Select(f => (f.Name, f.Type, f.Bytes)));
        foreach (var file in files)
        {
            var row = page.Locator(".uploads li").Filter(new() { HasText = file.Name });
            await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("ready", new() { Timeout = 180_000 });
            Assert.Equal(1, await row.Locator("progress").EvaluateAsync<double>("p => p.value"));
        }

        // A file that is not what it claims fails in the pipeline: its row says why in words, not only in a tooltip.
        var fake = $"fake-{Guid.NewGuid():N}.pdf";
        await DocumentPages.DropAsync(page, [(fake, "application/pdf", Encoding.UTF8.GetBytes("Plain words, not a PDF."))]);
        var failed = page.Locator(".uploads li").Filter(new() { HasText = fake });
        await Assertions.Expect(failed.Locator(".status")).ToHaveTextAsync("failed", new() { Timeout = 180_000 });
        await Assertions.Expect(failed.Locator(".failure-reason")).ToBeVisibleAsync();
        await Assertions.Expect(failed.Locator(".failure-reason")).ToHaveTextAsync("The file was declared as application/pdf but its content is text/plain.");
        await browser.ScreenshotAsync(page, "uploaded-and-ready");

        // Each clean PDF and image has a thumbnail in the list, made by the pipeline after the scan.
        await page.GetByRole(AriaRole.Link, new() { Name = "Documents" }).ClickAsync();
        foreach (var file in files)
        {
            await DocumentPages.AssertImageShownAsync(page.GetByRole(AriaRole.Row).Filter(new() { HasText = file.Name }).Locator("img.thumbnail"));
        }

        await browser.ScreenshotAsync(page, "documents-with-thumbnails");

        await page.GetByRole(AriaRole.Link, new() { Name = "Search" }).ClickAsync();
        await page.GetByLabel("Words to find").FillAsync(ocrWord);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var hit = page.Locator(".hits li").Filter(new() { HasText = files[1].Name });
        await Assertions.Expect(hit.Locator("mark").First).ToHaveTextAsync(ocrWord, new() { IgnoreCase = true });
        await browser.ScreenshotAsync(page, "found-by-ocr");
        await hit.GetByRole(AriaRole.Link).ClickAsync();

        await Assertions.Expect(page.Locator("pre.text")).ToContainTextAsync(ocrWord, new() { IgnoreCase = true });
        await Assertions.Expect(page.GetByText("1 read by OCR")).ToBeVisibleAsync();
        await DocumentPages.AssertImageShownAsync(page.Locator("img.preview.page").First);
        await page.GetByLabel("Tags, separated by commas").FillAsync("deliveries, harbour");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator(".details")).ToContainTextAsync("deliveries, harbour");
        await browser.ScreenshotAsync(page, "document");
        var documentUrl = page.Url;
        // The document page fits a phone: nothing runs off the side.
        await page.SetViewportSizeAsync(390, 844);
        await browser.ScreenshotAsync(page, "document-on-a-phone");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
            await page.EvaluateAsync<string>("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth).map(e => e.tagName + '.' + e.className).slice(0, 8).join(' ')"));
        await page.SetViewportSizeAsync(1280, 800);

        await page.GetByRole(AriaRole.Button, new() { Name = "Move to trash" }).ClickAsync();
        await Assertions.Expect(page.Locator(".document-status .status")).ToHaveTextAsync("in the trash");
        await page.GetByRole(AriaRole.Link, new() { Name = "Trash" }).ClickAsync();
        // The document page's versions and history name the file too: look only once the trash is shown.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Trash", Exact = true })).ToBeVisibleAsync();
        var trashed = page.Locator("table.documents").GetByRole(AriaRole.Row).Filter(new() { HasText = files[1].Name });
        await Assertions.Expect(trashed).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "trash");
        await trashed.GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
        await Assertions.Expect(trashed).ToHaveCountAsync(0);

        await page.GotoAsync(documentUrl, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.Locator(".document-status .status")).ToHaveTextAsync("ready");
    }

    [Fact]
    public async Task The_editor_tags_and_trashes_selected_documents_at_once_and_the_list_fits_a_phone()
    {
        using var api = await Running.Model.SignInAsync("editor", Cancellation);
        var run = Guid.NewGuid().ToString("N")[..8];
        var names = new[] { $"bulk-{run}-a.txt", $"bulk-{run}-b.txt", $"bulk-{run}-c.txt" };
        foreach (var name in names)
        {
            await DocumentUploads.UploadAsync(api, Encoding.UTF8.GetBytes($"Selected {name}"), name, "text/plain", cancellationToken: Cancellation);
        }

        await using var browser = await WebBrowser.LaunchAsync("bulk");
        var page = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(page, "editor@demo.dms.local");

        await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select {names[0]}" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Select {names[1]}" }).CheckAsync();
        await page.GetByLabel("Tags to add").FillAsync($"batch-{run}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tag selected" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"2 documents tagged batch-{run}.");

        await page.GotoAsync($"/documents?tag=batch-{run}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var rows = page.Locator("table.documents tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await browser.ScreenshotAsync(page, "tagged");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select all" }).CheckAsync();
        // A destructive action asks once: cancelled, nothing moves; confirmed, both go.
        await page.GetByRole(AriaRole.Button, new() { Name = "Move selected to trash" }).ClickAsync();
        var question = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(question).ToContainTextAsync("Move the selected documents to the trash?");
        await browser.ScreenshotAsync(page, "confirm-trash");
        await question.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(question).ToHaveCountAsync(0);
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Button, new() { Name = "Move selected to trash" }).ClickAsync();
        await question.GetByRole(AriaRole.Button, new() { Name = "Move selected to trash" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("2 documents moved to the trash.");
        await Assertions.Expect(page.GetByText("No documents match.")).ToBeVisibleAsync();
        await page.GotoAsync("/trash", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = names[0] })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = names[2] })).ToHaveCountAsync(0);

        // At a phone's width the list drops its type and size columns and nothing runs off the side, even with the
        // longest status there is (a document whose bytes were never sent: "waiting for upload").
        (await api.PostAsJsonAsync("/api/v1/documents", new { fileName = $"never-sent-{run}.txt", contentType = "text/plain", sizeBytes = 5 }, Cancellation))
            .EnsureSuccessStatusCode();
        // And a failure reason with a long word in it (the threat's name of a quarantined file).
        var eicar = await DocumentUploads.UploadAsync(api, Encoding.ASCII.GetBytes(TemporaryClamd.Eicar), $"eicar-{run}.txt", "text/plain", cancellationToken: Cancellation);
        await DocumentUploads.WaitForStatusAsync(api, eicar.Id, ["quarantined"], TimeSpan.FromMinutes(1), Cancellation);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = names[2] })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "File type", Exact = true })).ToBeHiddenAsync();
        // The title has room to be read: at least half the row (a long name broken every few letters is not).
        Assert.True(await page.EvaluateAsync<bool>(
                "[...document.querySelectorAll('table.documents tbody tr')].every(r => r.querySelector('td.title-cell').getBoundingClientRect().width >= r.getBoundingClientRect().width / 2)"),
            await page.EvaluateAsync<string>("[...document.querySelectorAll('table.documents tbody tr')].map(r => Math.round(r.querySelector('td.title-cell').getBoundingClientRect().width) + ' of ' + Math.round(r.getBoundingClientRect().width) + ' ' + getComputedStyle(r.closest('table')).display + ' ' + [...r.children].map(c => getComputedStyle(c).display + ':' + Math.round(c.getBoundingClientRect().width)).join(',')).join(' | ')"));
        await browser.ScreenshotAsync(page, "documents-on-a-phone");
        // A system in dark mode gets Fluent's dark theme (its neutral background 1, #292929), whose contrast axe
        // checks as well; the library's script follows the change without a reload.
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await Assertions.Expect(page.Locator("body")).ToHaveCSSAsync("background-color", "rgb(41, 41, 41)");
        await browser.ScreenshotAsync(page, "documents-on-a-phone-dark");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
            await page.EvaluateAsync<string>("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth).map(e => e.tagName + '.' + e.className).slice(0, 8).join(' ')"));
    }

    [Fact]
    public async Task A_long_list_links_to_its_next_page_and_back_keeping_its_filter()
    {
        using var api = await Running.Model.SignInAsync("editor", Cancellation);
        var tag = $"paged-{Guid.NewGuid():N}"[..20];
        for (var i = 0; i < 51; i++)
        {
            (await api.PostAsJsonAsync("/api/v1/documents", new { fileName = $"{tag}-{i}.txt", contentType = "text/plain", sizeBytes = 5, tags = new[] { tag } }, Cancellation))
                .EnsureSuccessStatusCode();
        }

        await using var browser = await WebBrowser.LaunchAsync("paging");
        var page = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(page, "editor@demo.dms.local");
        await page.GotoAsync($"/documents?tag={tag}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var rows = page.Locator("table.documents tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(50);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Previous page" })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await browser.ScreenshotAsync(page, "second-page");
        await page.GetByRole(AriaRole.Link, new() { Name = "Previous page" }).ClickAsync();

        await Assertions.Expect(rows).ToHaveCountAsync(50);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Previous page" })).ToHaveCountAsync(0);
        Assert.Contains($"tag={tag}", page.Url);
    }

    [Fact]
    public async Task A_long_documents_later_pages_are_rendered_as_the_reader_scrolls_to_them()
    {
        using var api = await Running.Model.SignInAsync("editor", Cancellation);
        var name = $"long-{Guid.NewGuid():N}.pdf";
        var pdf = SampleDocuments.TextPdf([.. Enumerable.Range(1, 12).Select(n => $"Page number {n}")]);
        var id = (await DocumentUploads.UploadAsync(api, pdf, name, "application/pdf", cancellationToken: Cancellation)).Id;
        await DocumentUploads.WaitForStatusAsync(api, id, ["ready"], TimeSpan.FromMinutes(1), Cancellation);
        await using var browser = await WebBrowser.LaunchAsync("long-document");
        var page = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(page, "viewer@demo.dms.local");

        // The pipeline made only the thumbnail: each block of ten pages is asked for when one of them scrolls into
        // view, rendered by the worker meanwhile (the API answers 202), and shown once it is there.
        await page.GotoAsync($"/documents/{id}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await DocumentPages.AssertImageShownAsync(page.GetByRole(AriaRole.Img, new() { Name = $"Page 1 of {name}" }));
        await DocumentPages.AssertImageShownAsync(page.GetByRole(AriaRole.Img, new() { Name = $"Page 12 of {name}" }));
        await browser.ScreenshotAsync(page, "twelfth-page-rendered");
    }
}
