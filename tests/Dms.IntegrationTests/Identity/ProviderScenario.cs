using Dms.IntegrationTests.Fixtures;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.Contracts;
using Dms.Identity;
using Dms.Identity.Accounts;
using Dms.Identity.Keys;
using Dms.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>What the api shows the provider's directory.</summary>
    public const string DirectoryKey = "directory-key-of-the-tests";

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
        // Dms's migrations first, as at every start: the provider records sign-ins in their audit trail.
        var owner = await ApiScenario.MigratedDatabaseAsync(postgres);
        keys ??= KeysOfAnInstallation();
        var all = new Dictionary<string, string>
        {
            ["ConnectionStrings:identity"] = new NpgsqlConnectionStringBuilder(owner) { Pooling = true }.ConnectionString,
            ["Dms:Identity:Keys:Folder"] = keys.FullName,
            ["Dms:Identity:SeedDemoUsers"] = "true",
            ["Dms:Identity:AllowHttp"] = "true",
            ["Dms:Identity:DirectoryKey"] = DirectoryKey,
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

    /// <summary>
    /// The key folder an installation has after its first start: a copy of keys made once for the test run. Making an
    /// RSA key of 3072 bits costs about half a second of CPU, and most tests start a provider of their own; how the
    /// first start makes them, and rotates them, is <see cref="KeyRingTests"/>' subject.
    /// </summary>
    private static DirectoryInfo KeysOfAnInstallation()
    {
        var keys = OwnerOnly.CreateFolder(Path.Combine(Directory.CreateTempSubdirectory("dms-test-identity-").FullName, "keys"));
        foreach (var made in MadeKeys.Value)
        {
            using var file = OwnerOnly.CreateFile(Path.Combine(keys.FullName, made.Name), FileMode.CreateNew);
            file.Write(made.Bytes);
        }

        return keys;
    }

    private static readonly Lazy<(string Name, byte[] Bytes)[]> MadeKeys = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("dms-test-identity-keys-");
        try
        {
            var keys = Path.Combine(folder.FullName, "keys");
            KeyRing.Open(new KeyOptions { Folder = keys }, DateTimeOffset.UtcNow);
            return [.. new DirectoryInfo(keys).GetFiles().Select(file => (file.Name, File.ReadAllBytes(file.FullName)))];
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    });

    /// <summary>A browser without scripts: cookies kept, redirects shown to the test rather than followed.</summary>
    public Browser NewBrowser() => new(BaseAddress);

    /// <summary>The api's settings that make this provider its identity provider and user directory.</summary>
    public IReadOnlyDictionary<string, string> ApiSettings => new Dictionary<string, string>
    {
        ["Dms:Identity:Authority"] = BaseAddress.ToString(),
        ["Dms:Identity:RequireHttpsMetadata"] = "false",
        ["Dms:Identity:DirectoryKey"] = DirectoryKey,
    };

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        if (KeyFolder.Parent is { Name: var name } parent && name.StartsWith("dms-test-identity-", StringComparison.Ordinal))
        {
            parent.Delete(recursive: true);
        }
    }

    /// <summary>The code flow with PKCE as the web app runs it, from the authorize request to the tokens, in this browser.</summary>
    public async Task<JsonElement> SignInWithCodeAsync(Browser browser, string email, string password = DemoIdentity.Password)
    {
        var pkce = Pkce.New();
        var signIn = await browser.GetAsync(AuthorizeUrl(pkce.Challenge));
        Assert.Equal(HttpStatusCode.Found, signIn.StatusCode);
        var afterSignIn = await browser.SubmitAsync(signIn.Headers.Location!.ToString(), new() { ["Email"] = email, ["Password"] = password });
        Assert.True(afterSignIn.StatusCode == HttpStatusCode.Redirect, $"Signing in as {email} was answered {(int)afterSignIn.StatusCode}: {await afterSignIn.Content.ReadAsStringAsync()}");
        var code = await browser.FollowToCodeAsync(afterSignIn, RedirectUri);
        return await ExchangeAsync(code, pkce.Verifier);
    }

    public string AuthorizeUrl(string challenge) => new ProviderSignIn(BaseAddress, ClientId, RedirectUri).AuthorizeUrl(challenge);

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

    /// <summary>A viewer of the demo tenant with this password, made straight in the provider's store.</summary>
    public async Task CreateUserAsync(string email, string password, bool mustChangePassword)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DmsUser>>();
        var result = await users.CreateAsync(new DmsUser
        {
            UserName = email, Email = email, Role = Roles.Viewer, TenantId = DemoIdentity.TenantId, MustChangePassword = mustChangePassword,
        }, password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
    }

    public async Task<JsonElement> RefreshAsync(string refreshToken)
    {
        using var response = await TokenAsync(new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = ClientId });
        return await response.Content.ReadFromJsonAsync<JsonElement>();
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
