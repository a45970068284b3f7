using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Dms.EndToEndTests.Web.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Dms.EndToEndTests.Web;

/// <summary>What every test of the web app in a real browser shares: the whole system as <c>./dms.sh run</c> starts it.</summary>
public abstract class WebTest
{
    protected WebTest(RunningEmbeddedAppModel running)
    {
        Running = running;
        // The tests of a collection run one at a time: a page helper that fails says what the servers logged.
        ProviderPages.ServerErrors = ServerErrorsAsync;
    }

    /// <summary>
    /// After a form's post, the page counts as reached once the browser has the next page's response; each test then
    /// asserts on what the page shows, with Playwright's own waits. Under the full suite's load, neither the load event
    /// nor DOMContentLoaded of the page that sign-in redirects to always came within a minute, though the network was
    /// idle (seen in three runs, never in a test run alone; the cause is not found yet).
    /// </summary>
    internal static readonly PageWaitForURLOptions Loaded = new() { WaitUntil = WaitUntilState.Commit };

    protected RunningEmbeddedAppModel Running { get; }

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    protected Uri Web => Running.Model.App.GetEndpoint("web", "http");

    protected Uri Provider => Running.Model.App.GetEndpoint("identity", "http");

    /// <summary>The page as a phone shows it: saved, and nothing runs off the side; then the wide screen again.</summary>
    protected static async Task OnAPhoneAsync(WebBrowser browser, IPage page, string name)
    {
        await page.SetViewportSizeAsync(390, 844);
        await browser.ScreenshotAsync(page, name);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
            await page.EvaluateAsync<string>("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth).map(e => e.tagName + '.' + e.className).slice(0, 8).join(' ')"));
        await page.SetViewportSizeAsync(1280, 800);
    }

    /// <summary>The web app's, the provider's, the api's and the worker's warnings and errors so far (the last ones), and their last lines, for a failure's message.</summary>
    private async Task<string> ServerErrorsAsync()
    {
        var logs = Running.Model.App.Services.GetRequiredService<ResourceLoggerService>();
        var model = Running.Model.App.Services.GetRequiredService<DistributedApplicationModel>();
        var (problems, last) = (new List<string>(), new List<string>());
        foreach (var resource in model.Resources.Where(r => r.Name is "web" or "identity" or "api" or "worker"))
        {
            var lines = new List<string>();
            await foreach (var batch in logs.GetAllAsync(resource))
            {
                lines.AddRange(batch.Select(l => $"{resource.Name}: {l.Content}"));
            }

            problems.AddRange(lines.Where(l => l.Contains("\"Error\"", StringComparison.Ordinal) || l.Contains("\"Warning\"", StringComparison.Ordinal)
                || l.Contains("fail:", StringComparison.Ordinal) || l.Contains("warn:", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal)).TakeLast(15));
            last.AddRange(lines.TakeLast(5));
        }

        return $"{string.Join('\n', problems)}\n(last lines)\n{string.Join('\n', last)}";
    }
}
