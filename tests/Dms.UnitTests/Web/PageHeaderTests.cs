using System.Net;
using System.Text.RegularExpressions;
using Dms.Web.Account;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Dms.UnitTests.Web;

/// <summary>
/// Every answer of the web app carries the headers that keep its pages from being framed, sniffed or made to run
/// another origin's script. The browser tests prove the pages need nothing their policy refuses.
/// </summary>
public sealed partial class PageHeaderTests : IAsyncDisposable
{
    private readonly WebApplicationFactory<UserPool> _web = WebAppWithoutServices.Create(("Dms:Web:UploadOrigins:0", "http://localhost:5380/"));

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/signed-out")]
    [InlineData("/app.css")]
    [InlineData("/no-such-page")]
    [InlineData("/documents")]
    public async Task A_signed_in_page_cannot_be_framed_sniffed_or_made_to_run_inline_script(string path)
    {
        using var browser = _web.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var answer = await browser.GetAsync(path, Cancellation);

        var policy = string.Join(",", answer.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Matches("script-src 'self' 'nonce-[0-9a-f]{32}';", policy);
        Assert.DoesNotContain("unsafe-inline' ;", policy);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", policy);
        Assert.Contains("connect-src 'self' http://localhost:5380;", policy);
        Assert.Contains("object-src 'none'", policy);
        Assert.Equal("DENY", Assert.Single(answer.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(answer.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(answer.Headers.GetValues("Referrer-Policy")));
        // Plain HTTP here: HSTS is only sent over HTTPS.
        Assert.False(answer.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_one_inline_script_a_page_has_carries_this_answers_nonce_and_no_other_inline_script_runs()
    {
        using var browser = _web.CreateClient();

        using var first = await browser.GetAsync("/signed-out", Cancellation);
        using var second = await browser.GetAsync("/signed-out", Cancellation);
        var html = await first.Content.ReadAsStringAsync(Cancellation);

        var nonce = Nonce().Match(string.Join(",", first.Headers.GetValues("Content-Security-Policy"))).Groups[1].Value;
        var scripts = ScriptTag().Matches(html).Select(m => m.Value).ToList();
        Assert.Contains(scripts, tag => tag.Contains("type=\"importmap\"") && tag.Contains($"nonce=\"{nonce}\""));
        // Every other script is a file of the app's own.
        Assert.All(scripts.Where(tag => !tag.Contains("importmap")), tag => Assert.Matches("src=\"[^\"]+\"", tag));
        Assert.NotEqual(nonce, Nonce().Match(string.Join(",", second.Headers.GetValues("Content-Security-Policy"))).Groups[1].Value);
    }

    [Fact]
    public async Task Pages_name_the_apps_own_favicon_and_it_is_served()
    {
        using var browser = _web.CreateClient();

        var page = await browser.GetStringAsync("/signed-out", Cancellation);
        var icon = Regex.Match(page, """<link rel="icon" [^>]*href="([^"]+)" """.TrimEnd()).Groups[1].Value;
        using var served = await browser.GetAsync($"/{icon}", Cancellation);

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/svg+xml", served.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Over_https_the_browser_is_told_to_keep_to_https()
    {
        using var browser = _web.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });

        using var answer = await browser.GetAsync("/signed-out", Cancellation);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.StartsWith("max-age=", Assert.Single(answer.Headers.GetValues("Strict-Transport-Security")));
    }

    public async ValueTask DisposeAsync() => await _web.DisposeAsync();

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex Nonce();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}
