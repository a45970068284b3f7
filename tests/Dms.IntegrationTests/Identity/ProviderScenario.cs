using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dms.Contracts;
using Dms.Identity;
using Dms.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace Dms.IntegrationTests.Identity;

/// <summary>
/// Dms's identity provider served by Kestrel on 127.0.0.1 (the API fetches its discovery document and keys over HTTP,
/// as it does in a run), on a database and a key folder of its own, with the demo users.
/// </summary>
public sealed class ProviderScenario : IAsyncDisposable
{
    public const string ClientId = "dms";

    /// <summary>Where the web app would take the code back: nothing listens there, the tests read the code from the redirect.</summary>
    public const string RedirectUri = "http://127.0.0.1:9/signin-oidc";

    private readonly Factory _factory;

    private ProviderScenario(Factory factory, string ownerConnection, DirectoryInfo keys)
    {
        _factory = factory;
        OwnerConnection = ownerConnection;
        KeyFolder = keys;
    }

    public string OwnerConnection { get; }

    public DirectoryInfo KeyFolder { get; }

    public Uri BaseAddress => _factory.ClientOptions.BaseAddress;

    public IServiceProvider Services => _factory.Services;

    public static async Task<ProviderScenario> StartAsync(TemporaryPostgres postgres, IReadOnlyDictionary<string, string>? settings = null, DirectoryInfo? keys = null)
    {
        var owner = await postgres.CreateDatabaseAsync();
        keys ??= new DirectoryInfo(Path.Combine(Directory.CreateTempSubdirectory("dms-test-identity-").FullName, "keys"));
        var all = new Dictionary<string, string>
        {
            ["ConnectionStrings:identity"] = new NpgsqlConnectionStringBuilder(owner) { Pooling = true }.ConnectionString,
            ["Dms:Identity:Keys:Folder"] = keys.FullName,
            ["Dms:Identity:SeedDemoUsers"] = "true",
            ["Dms:Identity:RedirectUris:0"] = RedirectUri,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var factory = new Factory(all);
        factory.UseKestrel(0);
        factory.StartServer();
        return new ProviderScenario(factory, owner, keys);
    }

    /// <summary>A browser without scripts: cookies kept, redirects shown to the test rather than followed.</summary>
    public Browser NewBrowser() => new(BaseAddress);

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        if (KeyFolder.Parent is { Name: var name } parent && name.StartsWith("dms-test-identity-", StringComparison.Ordinal))
        {
            parent.Delete(recursive: true);
        }
    }

    /// <summary>The code flow with PKCE as the web app runs it, from the authorize request to the tokens.</summary>
    public async Task<JsonElement> SignInWithCodeAsync(Browser browser, string email, string password = DemoIdentity.Password)
    {
        var pkce = Pkce.New();
        var authorize = AuthorizeUrl(pkce.Challenge);
        var signIn = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Found, signIn.StatusCode);
        var afterSignIn = await browser.SubmitAsync(signIn.Headers.Location!.ToString(), new() { ["Email"] = email, ["Password"] = password });
        Assert.True(afterSignIn.StatusCode == HttpStatusCode.Redirect, $"Signing in as {email} was answered {(int)afterSignIn.StatusCode}: {await afterSignIn.Content.ReadAsStringAsync()}");
        var code = await browser.FollowToCodeAsync(afterSignIn);
        return await ExchangeAsync(code, pkce.Verifier);
    }

    public string AuthorizeUrl(string challenge, string redirectUri = RedirectUri) =>
        "/connect/authorize?" + string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri,
            ["scope"] = "openid email offline_access",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = "state-1",
            ["nonce"] = "nonce-1",
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

    public async Task<JsonElement> ExchangeAsync(string code, string verifier, string redirectUri = RedirectUri)
    {
        using var response = await TokenAsync(new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["client_id"] = ClientId,
            ["code_verifier"] = verifier,
        });
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<HttpResponseMessage> TokenAsync(Dictionary<string, string> form)
    {
        using var http = Anonymous();
        return await http.PostAsync("/connect/token", new FormUrlEncodedContent(form));
    }

    /// <summary>A client without cookies: a terminal, the web app's server.</summary>
    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress };

    private sealed class Factory(IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<IdentityProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}

public sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce New()
    {
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new Pkce(verifier, challenge);
    }
}

/// <summary>Cookies and forms as a browser keeps and posts them (with the page's antiforgery token), redirects left to the test.</summary>
public sealed partial class Browser(Uri baseAddress) : IDisposable
{
    public CookieContainer Cookies { get; } = new();

    private HttpClient Http => field ??= new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    public Task<HttpResponseMessage> GetAsync(string url) => Http.GetAsync(url);

    /// <summary>Opens the page at <paramref name="url"/> and posts its form with these fields (and its hidden ones).</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string url, Dictionary<string, string> fields)
    {
        using var page = await Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var form = InputTag().Matches(html).Select(m => m.Value)
            .Where(tag => tag.Contains("type=\"hidden\"", StringComparison.Ordinal))
            .ToDictionary(tag => Attribute(tag, "name"), tag => Attribute(tag, "value"));
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        var action = FormAction().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups["action"].Value) : url;
        return await Http.PostAsync(action.Length == 0 ? url : action, new FormUrlEncodedContent(form));
    }

    public Task<HttpResponseMessage> PostAsync(string url, Dictionary<string, string> form) => Http.PostAsync(url, new FormUrlEncodedContent(form));

    /// <summary>Follows the provider's redirects until one leaves for the client's redirect URI, and reads the code from it.</summary>
    public async Task<string> FollowToCodeAsync(HttpResponseMessage response)
    {
        for (var hops = 0; hops < 5; hops++)
        {
            var location = response.Headers.Location ?? throw new InvalidOperationException($"No redirect but {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            var absolute = location.IsAbsoluteUri ? location : new Uri(baseAddress, location);
            if (absolute.AbsoluteUri.StartsWith(ProviderScenario.RedirectUri, StringComparison.Ordinal))
            {
                var query = System.Web.HttpUtility.ParseQueryString(absolute.Query);
                return query["code"] ?? throw new InvalidOperationException($"The redirect carries no code: {absolute}");
            }

            response = await Http.GetAsync(absolute);
        }

        throw new InvalidOperationException("Too many redirects.");
    }

    public void Dispose() => Http.Dispose();

    private static string Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\b{name}=\"(?<value>[^\"]*)\"") is { Success: true } match ? WebUtility.HtmlDecode(match.Groups["value"].Value) : "";

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex InputTag();

    [GeneratedRegex("<form[^>]*method=\"post\"[^>]*action=\"(?<action>[^\"]*)\"")]
    private static partial Regex FormAction();
}
