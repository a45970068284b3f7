using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dms.TestSupport;

/// <summary>
/// Signs a user in at Dms's identity provider as a person does in a browser (the code flow with PKCE through its
/// sign-in page, and a first sign-in's new password), without a browser: for tests and benchmarks that need a user's
/// token, not the pages.
/// </summary>
/// <param name="redirectUri">One the provider has registered for the client (the web app's <c>/signin-oidc</c>): nothing there is asked, the code is read from the redirect.</param>
public sealed class ProviderSignIn(Uri provider, string clientId, string redirectUri)
{
    public Uri Authority => provider;

    public string ClientId => clientId;

    /// <summary>The tokens (id_token, refresh_token, ...) of a sign-in as <paramref name="email"/>; a temporary password is replaced by <paramref name="newPassword"/>.</summary>
    public async Task<JsonElement> SignInAsync(string email, string password, string? newPassword = null, CancellationToken cancellationToken = default)
    {
        using var browser = new Browser(provider);
        var pkce = Pkce.New();
        using var toSignIn = await browser.GetAsync(AuthorizeUrl(pkce.Challenge), cancellationToken);
        var signInPage = toSignIn.Headers.Location?.ToString()
            ?? throw new InvalidOperationException($"The authorize request was answered {(int)toSignIn.StatusCode}, not sent to sign in: {await toSignIn.Content.ReadAsStringAsync(cancellationToken)}");
        var answer = await SignInOnPageAsync(browser, signInPage, email, password, newPassword, cancellationToken);
        var code = await browser.FollowToCodeAsync(answer, redirectUri, cancellationToken);
        using var token = new HttpClient { BaseAddress = provider };
        using var exchanged = await token.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = clientId,
            ["code_verifier"] = pkce.Verifier,
        }), cancellationToken);
        return await exchanged.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    /// <summary>
    /// What a person does for <c>dms login</c>: opens the address the terminal printed, signs in (a temporary password
    /// replaced by <paramref name="newPassword"/>) and allows the code.
    /// </summary>
    public async Task AllowDeviceAsync(string verificationAddress, string email, string password, string? newPassword = null, CancellationToken cancellationToken = default)
    {
        using var browser = new Browser(provider);
        using var toSignIn = await browser.GetAsync(new Uri(verificationAddress), cancellationToken);
        var signInPage = toSignIn.Headers.Location?.ToString()
            ?? throw new InvalidOperationException($"The verification page was answered {(int)toSignIn.StatusCode}, not sent to sign in.");
        var answer = await SignInOnPageAsync(browser, signInPage, email, password, newPassword, cancellationToken);
        using var allowed = await browser.SubmitAsync(answer.Headers.Location!.OriginalString, new() { ["decision"] = "allow" }, cancellationToken);
        if (allowed.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Allowing the device was answered {(int)allowed.StatusCode}: {await allowed.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>
    /// What a person does for <c>dms login --browser</c>: opens the address the terminal printed, signs in, and their
    /// browser follows the provider's redirects back to the terminal's loopback address: the page it shows there.
    /// </summary>
    public async Task<string> SignInForTerminalAsync(string address, string email, string password, CancellationToken cancellationToken = default)
    {
        using var browser = new Browser(provider);
        using var toSignIn = await browser.GetAsync(new Uri(address), cancellationToken);
        var signInPage = toSignIn.Headers.Location?.ToString()
            ?? throw new InvalidOperationException($"The authorize request was answered {(int)toSignIn.StatusCode}, not sent to sign in.");
        var answer = await SignInOnPageAsync(browser, signInPage, email, password, null, cancellationToken);
        for (var hops = 0; hops < 5; hops++)
        {
            var location = answer.Headers.Location ?? throw new InvalidOperationException($"No redirect but {(int)answer.StatusCode}.");
            var absolute = location.IsAbsoluteUri ? location : new Uri(provider, location);
            if (absolute.Host == "localhost" && absolute.AbsolutePath == "/callback")
            {
                using var terminal = new HttpClient();
                return await terminal.GetStringAsync(absolute, cancellationToken);
            }

            answer = await browser.GetAsync(absolute, cancellationToken);
        }

        throw new InvalidOperationException("The provider's redirects never came back to the terminal.");
    }

    /// <summary>The provider's sign-in page filled in (and a first sign-in's new password chosen): the redirect onwards.</summary>
    private static async Task<HttpResponseMessage> SignInOnPageAsync(
        Browser browser, string signInPage, string email, string password, string? newPassword, CancellationToken cancellationToken)
    {
        var answer = await browser.SubmitAsync(signInPage, new() { ["Email"] = email, ["Password"] = password }, cancellationToken);
        if (answer.Headers.Location?.OriginalString.StartsWith("/signin/new-password", StringComparison.Ordinal) == true)
        {
            var chosen = newPassword ?? $"Chosen-{Guid.NewGuid():N}-1a!";
            answer = await browser.SubmitAsync(answer.Headers.Location.OriginalString, new() { ["NewPassword"] = chosen, ["Confirmation"] = chosen }, cancellationToken);
        }

        return answer.StatusCode == HttpStatusCode.Redirect
            ? answer
            : throw new InvalidOperationException($"Signing in as {email} was answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync(cancellationToken)}");
    }

    /// <summary>A user's ID token, as the web app and the CLI send it to the API.</summary>
    public async Task<string> IdTokenAsync(string email, string password, CancellationToken cancellationToken = default)
    {
        var tokens = await SignInAsync(email, password, cancellationToken: cancellationToken);
        return tokens.TryGetProperty("id_token", out var idToken) ? idToken.GetString()! : throw new InvalidOperationException($"No ID token for {email}: {tokens}");
    }

    public string AuthorizeUrl(string challenge) =>
        "/connect/authorize?" + string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri,
            ["scope"] = "openid email offline_access",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
            ["nonce"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
}

public sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce New()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return new Pkce(verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Cookies and forms as a browser keeps and posts them (with the page's antiforgery token), redirects left to the caller.</summary>
public sealed partial class Browser(Uri baseAddress) : IDisposable
{
    public CookieContainer Cookies { get; } = new();

    /// <summary>What the browser sends with every request (its user agent, say).</summary>
    public System.Net.Http.Headers.HttpRequestHeaders Headers => Http.DefaultRequestHeaders;

    private HttpClient Http => field ??= new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    public Task<HttpResponseMessage> GetAsync(string url, CancellationToken cancellationToken = default) => Http.GetAsync(url, cancellationToken);

    public Task<HttpResponseMessage> GetAsync(Uri url, CancellationToken cancellationToken = default) => Http.GetAsync(url, cancellationToken);

    /// <summary>Opens the page at <paramref name="url"/> and posts its form with these fields (and its hidden ones).</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string url, Dictionary<string, string> fields, CancellationToken cancellationToken = default)
    {
        using var page = await Http.GetAsync(url, cancellationToken);
        if (page.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The page {url} was answered {(int)page.StatusCode}, not with its form.");
        }

        var html = await page.Content.ReadAsStringAsync(cancellationToken);
        var form = InputTag().Matches(html).Select(m => m.Value)
            .Where(tag => tag.Contains("type=\"hidden\"", StringComparison.Ordinal))
            .DistinctBy(tag => Attribute(tag, "name")) // a page of several forms repeats its antiforgery token
            .ToDictionary(tag => Attribute(tag, "name"), tag => Attribute(tag, "value"));
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        // A page of several forms: the field "handler" picks the form of that handler, as its action names it.
        var action = fields.TryGetValue("handler", out var handler) ? $"{url}?handler={Uri.EscapeDataString(handler)}"
            : FirstForm().Match(html) is { Success: true } match && FormAction().Match(match.Value) is { Success: true } named
                ? WebUtility.HtmlDecode(named.Groups["action"].Value)
            : "";
        return await Http.PostAsync(action.Length == 0 ? url : action, new FormUrlEncodedContent(form), cancellationToken);
    }

    public Task<HttpResponseMessage> PostAsync(string url, Dictionary<string, string> form, CancellationToken cancellationToken = default) =>
        Http.PostAsync(url, new FormUrlEncodedContent(form), cancellationToken);

    /// <summary>Follows the provider's redirects until one leaves for <paramref name="redirectUri"/>, and reads the code from it.</summary>
    public async Task<string> FollowToCodeAsync(HttpResponseMessage response, string redirectUri, CancellationToken cancellationToken = default)
    {
        for (var hops = 0; hops < 5; hops++)
        {
            var location = response.Headers.Location
                ?? throw new InvalidOperationException($"No redirect but {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            var absolute = location.IsAbsoluteUri ? location : new Uri(baseAddress, location);
            if (absolute.AbsoluteUri.StartsWith(redirectUri, StringComparison.Ordinal))
            {
                return Query(absolute, "code") ?? throw new InvalidOperationException($"The redirect carries no code: {absolute}");
            }

            response = await Http.GetAsync(absolute, cancellationToken);
        }

        throw new InvalidOperationException("Too many redirects.");
    }

    public void Dispose() => Http.Dispose();

    private static string? Query(Uri uri, string name) =>
        uri.Query.TrimStart('?').Split('&').Select(pair => pair.Split('=', 2)).Where(pair => pair.Length == 2 && pair[0] == name)
            .Select(pair => Uri.UnescapeDataString(pair[1])).FirstOrDefault();

    private static string Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\b{name}=\"(?<value>[^\"]*)\"") is { Success: true } match ? WebUtility.HtmlDecode(match.Groups["value"].Value) : "";

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex InputTag();

    /// <summary>The page's first form: the one a person fills in (a page may have others below it).</summary>
    [GeneratedRegex("<form[^>]*>")]
    private static partial Regex FirstForm();

    [GeneratedRegex("action=\"(?<action>[^\"]*)\"")]
    private static partial Regex FormAction();
}
