using Microsoft.Playwright;

namespace Dms.EndToEndTests.Web;

/// <summary>What every test of the web app in a real browser shares: the whole system as <c>./dms.sh run</c> starts it.</summary>
public abstract class WebTest(RunningEmbeddedAppModel running)
{
    /// <summary>
    /// After a form's post, the page counts as reached once the browser has the next page's response; each test then
    /// asserts on what the page shows, with Playwright's own waits. Under the full suite's load, neither the load event
    /// nor DOMContentLoaded of the page that sign-in redirects to always came within a minute, though the network was
    /// idle (seen in three runs, never in a test run alone; the cause is not found yet).
    /// </summary>
    internal static readonly PageWaitForURLOptions Loaded = new() { WaitUntil = WaitUntilState.Commit };

    protected RunningEmbeddedAppModel Running { get; } = running;

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    protected Uri Web => Running.Model.App.GetEndpoint("web", "http");

    protected Uri Provider => Running.Model.App.GetEndpoint("identity", "http");
}
