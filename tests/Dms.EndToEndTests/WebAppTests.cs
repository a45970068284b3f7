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

namespace Dms.EndToEndTests;

/// <summary>The web app in a real browser, against the whole system as <c>./dms.sh run</c> starts it.</summary>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed class WebAppTests(RunningEmbeddedAppModel running)
{
    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private Uri Web => running.Model.App.GetEndpoint("web", "http");

    private Uri Provider => running.Model.App.GetEndpoint("identity", "http");

    /// <summary>
    /// After a form's post, the page counts as reached once the browser has the next page's response; each test then
    /// asserts on what the page shows, with Playwright's own waits. Under the full suite's load, neither the load event
    /// nor DOMContentLoaded of the page that sign-in redirects to always came within a minute, though the network was
    /// idle (seen in three runs, never in a test run alone; the cause is not found yet).
    /// </summary>
    private static readonly PageWaitForURLOptions Loaded = new() { WaitUntil = WaitUntilState.Commit };

    [Fact]
    public async Task The_demo_editor_signs_in_sees_the_tenants_documents_and_signs_out()
    {
        using var api = await running.Model.SignInAsync("editor", Cancellation);
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
        await page.WaitForURLAsync("**/documents", Loaded);
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

        // Sign-out ends the provider's session too: going back asks for the password again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/signin?**", Loaded);
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
    public async Task The_editor_finds_a_document_by_a_word_of_its_text_and_markup_in_it_stays_text()
    {
        using var api = await running.Model.SignInAsync("editor", Cancellation);
        var word = $"zebra{Guid.NewGuid():N}"[..16];
        var uploaded = await DocumentUploads.UploadAsync(api, Encoding.UTF8.GetBytes($"The quarterly {word} report <script>document.title='owned'</script> ends here."),
            $"{word}.txt", "text/plain", cancellationToken: Cancellation);
        var ready = await DocumentUploads.WaitForStatusAsync(api, uploaded.Id, ["ready", "failed"], TimeSpan.FromMinutes(2), Cancellation);
        Assert.Equal("ready", ready.Status);
        await using var browser = await WebBrowser.LaunchAsync("search");
        var page = await browser.NewPageAsync(Web);
        await SignInAsync(page, "editor@demo.dms.local");

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
        await SignInAsync(page, "editor@demo.dms.local");

        await page.GetByRole(AriaRole.Link, new() { Name = "Upload", Exact = true }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Upload" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "upload");
        await DropAsync(page, files.Select(f => (f.Name, f.Type, f.Bytes)));
        foreach (var file in files)
        {
            var row = page.Locator(".uploads li").Filter(new() { HasText = file.Name });
            await Assertions.Expect(row.Locator(".status")).ToHaveTextAsync("ready", new() { Timeout = 180_000 });
            Assert.Equal(1, await row.Locator("progress").EvaluateAsync<double>("p => p.value"));
        }

        // A file that is not what it claims fails in the pipeline: its row says why in words, not only in a tooltip.
        var fake = $"fake-{Guid.NewGuid():N}.pdf";
        await DropAsync(page, [(fake, "application/pdf", Encoding.UTF8.GetBytes("Plain words, not a PDF."))]);
        var failed = page.Locator(".uploads li").Filter(new() { HasText = fake });
        await Assertions.Expect(failed.Locator(".status")).ToHaveTextAsync("failed", new() { Timeout = 180_000 });
        await Assertions.Expect(failed.Locator(".failure-reason")).ToBeVisibleAsync();
        await Assertions.Expect(failed.Locator(".failure-reason")).ToHaveTextAsync("The file was declared as application/pdf but its content is text/plain.");
        await browser.ScreenshotAsync(page, "uploaded-and-ready");

        // Each clean PDF and image has a thumbnail in the list, made by the pipeline after the scan.
        await page.GetByRole(AriaRole.Link, new() { Name = "Documents" }).ClickAsync();
        foreach (var file in files)
        {
            await AssertImageShownAsync(page.GetByRole(AriaRole.Row).Filter(new() { HasText = file.Name }).Locator("img.thumbnail"));
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
        await AssertImageShownAsync(page.Locator("img.preview.page").First);
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
        var trashed = page.GetByRole(AriaRole.Row).Filter(new() { HasText = files[1].Name });
        await Assertions.Expect(trashed).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "trash");
        await trashed.GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
        await Assertions.Expect(trashed).ToHaveCountAsync(0);

        await page.GotoAsync(documentUrl, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.Locator(".document-status .status")).ToHaveTextAsync("ready");
    }

    [Fact]
    public async Task The_operator_sees_a_dead_letter_with_its_error_and_redrives_it_from_the_page_once_the_scanner_is_back()
    {
        using var editor = await running.Model.SignInAsync("editor", Cancellation);
        var commands = running.Model.App.Services.GetRequiredService<ResourceCommandService>();
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
            await running.Model.StartAgainAsync("scanner", CancellationToken.None);
        }

        await using var browser = await WebBrowser.LaunchAsync("operator");
        var page = await browser.NewPageAsync(Web);
        await SignInAsync(page, "operator@demo.dms.local", "operator");

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
        await SignInAsync(page, "operator@demo.dms.local", "operator");

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
        await ChooseAPasswordAsync(adminPage);
        await adminPage.WaitForURLAsync("**/documents", Loaded);

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

    [Fact]
    public async Task The_editor_tags_and_trashes_selected_documents_at_once_and_the_list_fits_a_phone()
    {
        using var api = await running.Model.SignInAsync("editor", Cancellation);
        var run = Guid.NewGuid().ToString("N")[..8];
        var names = new[] { $"bulk-{run}-a.txt", $"bulk-{run}-b.txt", $"bulk-{run}-c.txt" };
        foreach (var name in names)
        {
            await DocumentUploads.UploadAsync(api, Encoding.UTF8.GetBytes($"Selected {name}"), name, "text/plain", cancellationToken: Cancellation);
        }

        await using var browser = await WebBrowser.LaunchAsync("bulk");
        var page = await browser.NewPageAsync(Web);
        await SignInAsync(page, "editor@demo.dms.local");

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
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Type" })).ToBeHiddenAsync();
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
        using var api = await running.Model.SignInAsync("editor", Cancellation);
        var tag = $"paged-{Guid.NewGuid():N}"[..20];
        for (var i = 0; i < 51; i++)
        {
            (await api.PostAsJsonAsync("/api/v1/documents", new { fileName = $"{tag}-{i}.txt", contentType = "text/plain", sizeBytes = 5, tags = new[] { tag } }, Cancellation))
                .EnsureSuccessStatusCode();
        }

        await using var browser = await WebBrowser.LaunchAsync("paging");
        var page = await browser.NewPageAsync(Web);
        await SignInAsync(page, "editor@demo.dms.local");
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
    public async Task A_restart_of_the_web_app_keeps_people_signed_in()
    {
        await using var browser = await WebBrowser.LaunchAsync("restart");
        var page = await browser.NewPageAsync(Web);
        await SignInAsync(page, "viewer@demo.dms.local");
        var commands = running.Model.App.Services.GetRequiredService<ResourceCommandService>();

        var restarted = DateTime.UtcNow;
        Assert.True((await commands.ExecuteCommandAsync("web", KnownResourceCommands.RestartCommand, Cancellation)).Success);
        // The new process, healthy: waiting for "healthy" alone could read the stopped process's last state (seen
        // once in a full run: "failed to start").
        await running.Model.App.ResourceNotifications.WaitForResourceAsync("web",
            e => e.Snapshot.StartTimeStamp > restarted && e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, Cancellation);
        await page.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        // The session cookie was sealed with keys the restarted server still has: no sign-in page. They are kept in
        // the state folder (not in the user's home folder, ASP.NET's default, shared by every app of that user).
        Assert.EndsWith("/documents", page.Url);
        await Assertions.Expect(page.Locator(".user")).ToHaveTextAsync("viewer@demo.dms.local");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(running.Model.StateDirectory, "web-keys"), "key-*.xml"));
    }

    [Fact]
    public async Task A_copy_of_the_session_cookie_opens_nothing_after_sign_out_and_no_other_site_can_sign_a_user_out()
    {
        await using var browser = await WebBrowser.LaunchAsync("sign-out");
        var page = await browser.NewPageAsync(Web);
        await SignInAsync(page, "viewer@demo.dms.local");
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
        await page.WaitForURLAsync("**/signin?**", Loaded);
        // The cookie as it was before sign-out, in another browser: the session it named is gone.
        var thief = await browser.NewPageAsync(Web, copied);
        await thief.GotoAsync("/documents", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Contains("/signin", thief.Url);
        await browser.ScreenshotAsync(thief, "copied-cookie-after-sign-out");
    }

    [Fact]
    public async Task A_refresh_token_revoked_at_sign_out_refreshes_nothing()
    {
        var signedIn = await (await running.Model.ProviderAsync(Cancellation)).SignInAsync("viewer@demo.dms.local", DemoIdentity.Password, cancellationToken: Cancellation);
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
        var signedIn = await (await running.Model.ProviderAsync(Cancellation)).SignInAsync("editor@demo.dms.local", DemoIdentity.Password, cancellationToken: Cancellation);
        using var http = new HttpClient();
        var provider = await WebServerSideAsync(http);

        var refreshed = await provider.RefreshAsync(signedIn.GetProperty("refresh_token").GetString()!, Cancellation);
        var refused = await provider.RefreshAsync("not-a-refresh-token", Cancellation);

        Assert.NotNull(refreshed.Tokens);
        // The provider rotates refresh tokens: each refresh gives a new one.
        Assert.NotEqual(signedIn.GetProperty("refresh_token").GetString(), refreshed.Tokens.RefreshToken);
        Assert.True(refreshed.Tokens.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(10));
        using var api = running.Model.App.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new("Bearer", refreshed.Tokens.IdToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await api.GetAsync("/api/v1/tenant", Cancellation)).StatusCode);
        Assert.Null(refused.Tokens);
        Assert.NotNull(refused.Problem);
    }

    /// <summary>The web server's calls to the provider (refresh, revoke) as the web app makes them, with its discovery of the provider.</summary>
    private async Task<UserPool> WebServerSideAsync(HttpClient http)
    {
        var provider = await running.Model.ProviderAsync(Cancellation);
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

    [Fact]
    public async Task A_long_documents_later_pages_are_rendered_as_the_reader_scrolls_to_them()
    {
        using var api = await running.Model.SignInAsync("editor", Cancellation);
        var name = $"long-{Guid.NewGuid():N}.pdf";
        var pdf = SampleDocuments.TextPdf([.. Enumerable.Range(1, 12).Select(n => $"Page number {n}")]);
        var id = (await DocumentUploads.UploadAsync(api, pdf, name, "application/pdf", cancellationToken: Cancellation)).Id;
        await DocumentUploads.WaitForStatusAsync(api, id, ["ready"], TimeSpan.FromMinutes(1), Cancellation);
        await using var browser = await WebBrowser.LaunchAsync("long-document");
        var page = await browser.NewPageAsync(Web);
        await SignInAsync(page, "viewer@demo.dms.local");

        // The pipeline made only the thumbnail: each block of ten pages is asked for when one of them scrolls into
        // view, rendered by the worker meanwhile (the API answers 202), and shown once it is there.
        await page.GotoAsync($"/documents/{id}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await AssertImageShownAsync(page.GetByRole(AriaRole.Img, new() { Name = $"Page 1 of {name}" }));
        await AssertImageShownAsync(page.GetByRole(AriaRole.Img, new() { Name = $"Page 12 of {name}" }));
        await browser.ScreenshotAsync(page, "twelfth-page-rendered");
    }

    /// <summary>The image is on the page and the browser decoded it (a missing preview would be hidden, or 0 pixels wide).</summary>
    private static async Task AssertImageShownAsync(ILocator image)
    {
        await image.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(image).ToBeVisibleAsync();
        await image.Page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await image.ElementHandleAsync());
    }

    /// <summary>What a drop from the desktop delivers: a DataTransfer of files, dropped on the upload page's zone.</summary>
    private static Task DropAsync(IPage page, IEnumerable<(string Name, string Type, byte[] Bytes)> files) =>
        page.EvaluateAsync(
            """
            files => {
              const transfer = new DataTransfer();
              for (const f of files) transfer.items.add(new File([Uint8Array.from(atob(f.data), c => c.charCodeAt(0))], f.name, { type: f.type }));
              document.querySelector(".dropzone").dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
            }
            """,
            files.Select(f => new { name = f.Name, type = f.Type, data = Convert.ToBase64String(f.Bytes) }).ToArray());

    /// <summary>Signs in at the provider's page, where the web app's sign-in sends the browser, and waits to be back.</summary>
    private static async Task SignInAsync(IPage page, string username, string landsOn = "documents")
    {
        await page.GotoAsync("/signin", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GetByLabel("E-mail address").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(DemoIdentity.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"**/{landsOn}", Loaded);
    }

    /// <summary>A first sign-in's page at the provider: the rules shown, the new password typed twice; the password chosen.</summary>
    private static async Task<string> ChooseAPasswordAsync(IPage page)
    {
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose your password" })).ToBeVisibleAsync();
        var chosen = $"Chosen-{Guid.NewGuid():N}-1a!";
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(chosen);
        await page.GetByLabel("New password again").FillAsync(chosen);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();
        return chosen;
    }

    /// <summary>
    /// The new-password step is the user's own: a post to it without that user's step (here from a browser that signed
    /// in as nobody) neither signs the browser in nor sets a password. (The integration tests copy the step's cookie
    /// too: once used, it sets nothing again.)
    /// </summary>
    [Fact]
    public async Task A_forged_first_sign_in_post_takes_over_no_user_waiting_for_theirs()
    {
        var (username, temporaryPassword) = await running.Model.CreateTenantUserAsync("Forged sign-in tenant", "viewer", Cancellation);
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
        var (username, temporaryPassword) = await running.Model.CreateTenantUserAsync("Two-factor tenant", "viewer", Cancellation);
        await using var browser = await WebBrowser.LaunchAsync("two-factor");
        var page = await browser.NewPageAsync(Web);
        await page.GotoAsync("/signin", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GetByLabel("E-mail address").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(temporaryPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var chosen = await ChooseAPasswordAsync(page);
        await page.WaitForURLAsync("**/documents", Loaded);

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
        await page.WaitForURLAsync("**/signin?**", Loaded);

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
        var (username, temporaryPassword) = await running.Model.CreateTenantUserAsync("Passkey tenant", "editor", Cancellation);
        await using var browser = await WebBrowser.LaunchAsync("passkey");
        var page = await browser.NewPageAsync(Web);
        await WebBrowser.AddPasskeyDeviceAsync(page);
        await page.GotoAsync("/signin", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GetByLabel("E-mail address").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(temporaryPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ChooseAPasswordAsync(page);
        await page.WaitForURLAsync("**/documents", Loaded);

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
        await page.WaitForURLAsync("**/signin?**", Loaded);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use a passkey" }).ClickAsync();
        // Back at the web app, signed in as the user, with no password typed.
        await page.WaitForURLAsync(url => url.StartsWith(Web.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator(".user")).ToHaveTextAsync(username);
        await browser.ScreenshotAsync(page, "passkey-signed-in");
    }

    [Fact]
    public async Task A_new_users_first_sign_in_sets_their_password_and_they_see_only_their_tenants_documents()
    {
        using var demo = await running.Model.SignInAsync("editor", Cancellation);
        var demoFile = $"demo-only-{Guid.NewGuid():N}.txt";
        var demoDocument = await DocumentUploads.UploadAsync(demo, Encoding.UTF8.GetBytes("Only the demo tenant's"), demoFile, "text/plain", cancellationToken: Cancellation);
        var (username, temporaryPassword) = await running.Model.CreateTenantUserAsync("Web test tenant", "viewer", Cancellation);
        await using var browser = await WebBrowser.LaunchAsync("first-sign-in");
        var page = await browser.NewPageAsync(Web);

        await page.GotoAsync("/signin", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.GetByLabel("E-mail address").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(temporaryPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose your password" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "new-password");
        await ChooseAPasswordAsync(page);
        await page.WaitForURLAsync("**/documents", Loaded);

        await Assertions.Expect(page.GetByText("No documents yet.")).ToBeVisibleAsync();
        Assert.DoesNotContain(demoFile, await page.ContentAsync());
        await browser.ScreenshotAsync(page, "documents-of-a-new-tenant");

        // Nor by its address: to this tenant's user the demo tenant's document does not exist.
        await page.GotoAsync($"/documents/{demoDocument.Id}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("does not exist");
        Assert.DoesNotContain(demoFile, await page.ContentAsync());
    }
}
