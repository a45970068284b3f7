using Microsoft.Playwright;

namespace Dms.EndToEndTests;

/// <summary>
/// The machine's Chromium, as Debian's headless shell (installed by <c>./dms.sh</c>), driven by Playwright: Playwright's
/// own browser download cannot work here. The shell is the same Blink without the desktop browser around it: here it
/// opened a page for a fifth of the full browser's CPU and followed a link for a quarter, and the browser tests open
/// hundreds of pages on cores the other suites share. Every page a test visits is saved as a screenshot under
/// <c>test-artifacts/screenshots</c> at the repository's root (git-ignored), for anyone to look at what the tests saw.
/// </summary>
public sealed class WebBrowser : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium-headless-shell";

    /// <summary>
    /// One Chromium and one Playwright driver for the test run, started by the first test that asks and again if it is
    /// gone: each test's pages live in browser contexts of their own (cookies, storage), closed with the test. Starting
    /// both for every test cost seconds of CPU each, on cores the test suites share.
    /// </summary>
    private static readonly SemaphoreSlim Starting = new(1, 1);
    private static IPlaywright? _playwright;
    private static IBrowser? _shared;

    private readonly IBrowser _browser;
    private readonly string _test;
    private readonly List<IBrowserContext> _contexts = [];
    private readonly List<string> _policyViolations = [];
    private int _screenshots;

    private WebBrowser(IBrowser browser, string test)
    {
        _browser = browser;
        _test = test;
    }

    public static async Task<WebBrowser> LaunchAsync(string test)
    {
        // A page that answers on a quiet machine within a second took more than Playwright's 5 s to follow a click
        // while the integration tests loaded both cores. A passing expectation returns as soon as it holds, so a
        // longer wait costs only the failures.
        Assertions.SetDefaultExpectTimeout(20_000);
        await Starting.WaitAsync();
        try
        {
            if (_shared is not { IsConnected: true })
            {
                _playwright ??= await Playwright.CreateAsync();
                _shared = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = Chromium,
                    Headless = true,
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
                });
            }

            return new WebBrowser(_shared, test);
        }
        finally
        {
            Starting.Release();
        }
    }

    /// <summary>A new page in a context of its own: its own cookies, as another person's browser (or one given <paramref name="cookies"/>: a thief's).</summary>
    public async Task<IPage> NewPageAsync(Uri baseUrl, IReadOnlyList<Cookie>? cookies = null)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        lock (_contexts)
        {
            _contexts.Add(context);
        }

        if (cookies is not null)
        {
            await context.AddCookiesAsync(cookies);
        }

        // The web app's first page is its first request (compiled on demand) while the other test projects load both
        // cores: 30 s was once not enough for it to load. 60 s still ends a page that never loads.
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        // What the web app's Content-Security-Policy refused: a page that needs what its own policy forbids is broken. A
        // refusal with no script address comes from what the test evaluates itself (axe-core adds a style element).
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal) && !message.Location.StartsWith(':'))
            {
                lock (_policyViolations)
                {
                    _policyViolations.Add($"{page.Url} ({message.Location}): {message.Text}");
                }
            }
        };
        return page;
    }

    /// <summary>
    /// Gives the page's tab a passkey device: Chromium's virtual authenticator (through its debugging protocol), which
    /// makes and keeps keys and signs challenges as a platform authenticator would, its user verified without a prompt.
    /// The WebAuthn ceremony, its challenges and signatures are real; what it cannot prove is a person's fingerprint.
    /// </summary>
    public static async Task AddPasskeyDeviceAsync(IPage page)
    {
        var protocol = await page.Context.NewCDPSessionAsync(page);
        await protocol.SendAsync("WebAuthn.enable");
        await protocol.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
    }

    /// <summary>
    /// Saves what the page shows now, numbered in the order the test saw it, and checks the page with axe-core (the
    /// WCAG 2 A and AA rules: labels, names, contrast, landmarks, ARIA): a serious or critical violation fails the test.
    /// What axe cannot judge (whether a label says the right thing, keyboard order as a person meets it) it does not prove.
    /// Any page seen so far whose Content-Security-Policy refused something fails it too.
    /// </summary>
    public async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot(), "test-artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{_test}-{++_screenshots:D2}-{name}.png"), FullPage = true });
        lock (_policyViolations)
        {
            if (_policyViolations.Count > 0)
            {
                throw new InvalidOperationException($"The Content-Security-Policy of a page of {_test} refused what it needs:\n{string.Join("\n", _policyViolations)}");
            }
        }

        // Evaluated through the browser's debugging protocol, which the page's policy does not govern (a script tag it would
        // refuse). Only violations are worked out in full (resultTypes): the passing nodes, which the check never reads,
        // cost half of Chromium's CPU in the browser tests.
        await page.EvaluateAsync(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "tools", "axe", "node_modules", "axe-core", "axe.min.js")));
        var violations = await page.EvaluateAsync<string[]>(
            """
            async () => (await axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"], resultTypes: ["violations"] })).violations
              .filter(v => v.impact === "serious" || v.impact === "critical")
              .map(v => `${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`)
            """);
        if (violations.Length > 0)
        {
            throw new InvalidOperationException($"The {name} page of {_test} breaks accessibility rules:\n{string.Join("\n", violations)}");
        }
    }

    /// <summary>Closes this test's contexts and their pages; the browser stays for the next test.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Dms.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The tests do not run inside the repository.");
    }
}
