using System.Net.Http.Json;
using Dms.Contracts.Client;
using Dms.Contracts.Http;
using Dms.EndToEndTests.Web.Pages;
using Dms.TestSupport;
using Microsoft.Playwright;

namespace Dms.EndToEndTests.Web;

/// <summary>
/// A share link in browsers: the editor creates one on the document's page; a browser with no account opens it, sees
/// the page images, downloads the file once, and the link's use is counted on the editor's page; a revoked link and an
/// expired one answer 410 and say why; a link with a password asks for it first. A saved view's link, made on the
/// view's page, shows a browser with no account the view's documents but not the one restricted to a group, each with
/// its pages and download, under one download limit.
/// </summary>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed class ShareLinkPagesTests(RunningEmbeddedAppModel running) : WebTest(running)
{
    [Fact]
    public async Task A_share_link_opens_for_an_anonymous_browser_counts_its_download_and_stops_working_when_revoked_or_expired()
    {
        using var editor = await Running.Model.SignInAsync("editor", Cancellation);
        var run = Guid.NewGuid().ToString("N")[..8];
        var pdf = SampleDocuments.TextPdf($"Lease of the harbour {run}");
        var uploaded = await DocumentUploads.UploadAsync(editor, pdf, $"lease-{run}.pdf", "application/pdf", cancellationToken: Cancellation);
        await DocumentUploads.WaitForStatusAsync(editor, uploaded.Id, ["ready"], TimeSpan.FromMinutes(2), Cancellation);

        await using var browser = await WebBrowser.LaunchAsync("share-links");
        var owner = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(owner, "editor@demo.dms.local");
        await owner.GotoAsync($"/documents/{uploaded.Id}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var links = owner.Locator("section[aria-labelledby=share-heading]");
        await links.GetByLabel("Expires in (days)").FillAsync("1");
        await links.GetByLabel("Downloads allowed").FillAsync("1");
        await links.GetByRole(AriaRole.Button, new() { Name = "Create a link" }).ClickAsync();
        var created = links.Locator(".created-link a");
        await Assertions.Expect(created).ToBeVisibleAsync();
        var address = await created.GetAttributeAsync("href");
        Assert.Contains("/s/", address);
        await browser.ScreenshotAsync(owner, "link-created");

        // A browser without an account: the pages, one download, then none left.
        var stranger = await browser.NewPageAsync(Web);
        await stranger.GotoAsync(address!, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(stranger.GetByRole(AriaRole.Heading, new() { Name = $"lease-{run}.pdf" })).ToBeVisibleAsync();
        await Assertions.Expect(stranger.Locator(".summary")).ToContainTextAsync("1 download left");
        await DocumentPages.AssertImageShownAsync(stranger.Locator("img.preview.page").First);
        await browser.ScreenshotAsync(stranger, "shared-document");
        var download = await stranger.RunAndWaitForDownloadAsync(() => stranger.GetByRole(AriaRole.Link, new() { Name = "Download" }).ClickAsync());
        Assert.Equal(pdf, await File.ReadAllBytesAsync(await download.PathAsync(), Cancellation));
        var usedUp = await stranger.GotoAsync(address!, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal(410, usedUp!.Status);
        await Assertions.Expect(stranger.GetByRole(AriaRole.Alert)).ToContainTextAsync("used up");

        // (Not a reload: the page is the answer to the form's post, which a reload would send again.)
        await owner.GotoAsync($"/documents/{uploaded.Id}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var row = links.Locator("table.share-links tbody tr").First;
        await Assertions.Expect(row).ToContainTextAsync("1 of 1");
        await Assertions.Expect(row).ToContainTextAsync("used up");
        await Assertions.Expect(owner.Locator("section[aria-labelledby=history-heading]")).ToContainTextAsync("someone with a share link");

        // Revoked on the page: the link answers 410 and says so.
        await links.GetByLabel("Downloads allowed").FillAsync("");
        await links.GetByRole(AriaRole.Button, new() { Name = "Create a link" }).ClickAsync();
        var second = await created.GetAttributeAsync("href");
        Assert.Equal(200, (await stranger.GotoAsync(second!, new() { WaitUntil = WaitUntilState.DOMContentLoaded }))!.Status);
        await links.Locator("table.share-links tbody tr").Filter(new() { HasText = "works" }).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(links.Locator("table.share-links tbody tr").Filter(new() { HasText = "works" })).ToHaveCountAsync(0);
        Assert.Equal(410, (await stranger.GotoAsync(second!, new() { WaitUntil = WaitUntilState.DOMContentLoaded }))!.Status);
        await Assertions.Expect(stranger.GetByRole(AriaRole.Alert)).ToContainTextAsync("This link was revoked");
        await browser.ScreenshotAsync(stranger, "link-revoked");

        // Expired: a link that lived two seconds.
        var api = new DmsApiClient(editor);
        var brief = (await api.CreateShareLinkAsync(ShareTarget.Document(uploaded.Id), new ShareLinkRequest(DateTimeOffset.UtcNow.AddSeconds(2)), Cancellation)).Take();
        await Task.Delay(TimeSpan.FromSeconds(3), Cancellation);
        Assert.Equal(410, (await stranger.GotoAsync($"/s/{brief.Token}", new() { WaitUntil = WaitUntilState.DOMContentLoaded }))!.Status);
        await Assertions.Expect(stranger.GetByRole(AriaRole.Alert)).ToContainTextAsync("This link has expired.");

        // A password first.
        var guarded = (await api.CreateShareLinkAsync(ShareTarget.Document(uploaded.Id), new ShareLinkRequest(DateTimeOffset.UtcNow.AddDays(1), $"pw-{run}"), Cancellation)).Take();
        await stranger.GotoAsync($"/s/{guarded.Token}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await stranger.GetByLabel("Password").FillAsync("guess");
        await stranger.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Assertions.Expect(stranger.GetByRole(AriaRole.Alert)).ToContainTextAsync("not the link's password");
        await stranger.GetByLabel("Password").FillAsync($"pw-{run}");
        await stranger.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Assertions.Expect(stranger.GetByRole(AriaRole.Heading, new() { Name = $"lease-{run}.pdf" })).ToBeVisibleAsync();
        await DocumentPages.AssertImageShownAsync(stranger.Locator("img.preview.page").First);
        await OnAPhoneAsync(browser, stranger, "shared-document-on-a-phone");
    }

    [Fact]
    public async Task A_saved_views_link_shows_an_anonymous_browser_its_documents_but_not_a_restricted_one_under_one_download_limit()
    {
        using var editor = await Running.Model.SignInAsync("editor", Cancellation);
        using var admin = await Running.Model.SignInAsync("admin", Cancellation);
        var run = Guid.NewGuid().ToString("N")[..8];
        var tag = $"harbour-{run}";
        var leases = new List<(DocumentResponse Document, byte[] Bytes)>();
        foreach (var name in new[] { "north", "south", "secret" })
        {
            var pdf = SampleDocuments.TextPdf($"Lease of the {name} quay {run}");
            leases.Add((await DocumentUploads.UploadAsync(editor, pdf, $"{name}-{run}.pdf", "application/pdf", [tag], Cancellation), pdf));
        }

        foreach (var (document, _) in leases)
        {
            await DocumentUploads.WaitForStatusAsync(editor, document.Id, ["ready"], TimeSpan.FromMinutes(2), Cancellation);
        }

        // The secret lease is restricted to a group: no link of a view shows it.
        var api = new DmsApiClient(admin);
        var board = (await api.SaveGroupAsync(null, new GroupRequest($"Board {run}"), Cancellation)).Take();
        (await api.SetPermissionsAsync(leases[2].Document.Id, new PermissionsRequest(Grants: [new GrantItem(null, board.Id, GrantAccess.View)]), Cancellation)).Take();
        var view = (await new DmsApiClient(editor).SaveViewAsync(null, new SavedViewRequest($"Harbour leases {run}", Filters: new SavedViewFilters(Tag: tag)), Cancellation)).Take();

        await using var browser = await WebBrowser.LaunchAsync("view-share-links");
        var owner = await browser.NewPageAsync(Web);
        await ProviderPages.SignInAsync(owner, "editor@demo.dms.local");
        await owner.GotoAsync($"/views/{view.Id}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        var links = owner.Locator("section[aria-labelledby=share-heading]");
        await links.GetByLabel("Expires in (days)").FillAsync("1");
        await links.GetByLabel("Downloads allowed").FillAsync("2");
        await links.GetByRole(AriaRole.Button, new() { Name = "Create a link" }).ClickAsync();
        var address = await links.Locator(".created-link a").GetAttributeAsync("href");
        Assert.Contains("/s/", address);
        await browser.ScreenshotAsync(owner, "view-link-created");

        var stranger = await browser.NewPageAsync(Web);
        await stranger.GotoAsync(address!, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(stranger.GetByRole(AriaRole.Heading, new() { Name = $"Harbour leases {run}" })).ToBeVisibleAsync();
        var rows = stranger.Locator("table.shared-documents tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(stranger.Locator("table.shared-documents")).Not.ToContainTextAsync("secret");
        await Assertions.Expect(stranger.Locator(".summary")).ToContainTextAsync("2 downloads left");
        await browser.ScreenshotAsync(stranger, "shared-view");

        // The restricted lease is not there by its address either.
        Assert.Equal(404, (await stranger.GotoAsync($"{address}/documents/{leases[2].Document.Id}", new() { WaitUntil = WaitUntilState.DOMContentLoaded }))!.Status);
        Assert.Equal(404, (await stranger.GotoAsync($"{address}/documents/{leases[2].Document.Id}/pages/1"))!.Status);
        await stranger.GotoAsync(address!, new() { WaitUntil = WaitUntilState.DOMContentLoaded });

        // One of its documents: its pages and its download.
        await stranger.GetByRole(AriaRole.Link, new() { Name = $"north-{run}.pdf", Exact = true }).ClickAsync();
        await Assertions.Expect(stranger.GetByRole(AriaRole.Heading, new() { Name = $"north-{run}.pdf" })).ToBeVisibleAsync();
        await DocumentPages.AssertImageShownAsync(stranger.GetByRole(AriaRole.Img, new() { Name = $"Page 1 of north-{run}.pdf" }));
        await browser.ScreenshotAsync(stranger, "shared-view-document");
        var download = await stranger.RunAndWaitForDownloadAsync(() => stranger.GetByRole(AriaRole.Link, new() { Name = "Download" }).ClickAsync());
        Assert.Equal(leases[0].Bytes, await File.ReadAllBytesAsync(await download.PathAsync(), Cancellation));

        // The other from the list, then the limit is reached across both.
        await stranger.GetByRole(AriaRole.Link, new() { Name = "All the shared documents" }).ClickAsync();
        await Assertions.Expect(stranger.Locator(".summary")).ToContainTextAsync("1 download left");
        download = await stranger.RunAndWaitForDownloadAsync(() => stranger.GetByRole(AriaRole.Link, new() { Name = $"Download south-{run}.pdf" }).ClickAsync());
        Assert.Equal(leases[1].Bytes, await File.ReadAllBytesAsync(await download.PathAsync(), Cancellation));
        Assert.Equal(410, (await stranger.GotoAsync(address!, new() { WaitUntil = WaitUntilState.DOMContentLoaded }))!.Status);
        await Assertions.Expect(stranger.GetByRole(AriaRole.Alert)).ToContainTextAsync("used up");

        // The owner sees the link's use.
        await owner.GotoAsync($"/views/{view.Id}", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Assertions.Expect(links.Locator("table.share-links tbody tr").First).ToContainTextAsync("2 of 2");
        await OnAPhoneAsync(browser, owner, "view-share-links-on-a-phone");
    }
}
