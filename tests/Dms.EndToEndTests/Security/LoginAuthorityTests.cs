using System.Net;
using System.Text;
using System.Text.Json;
using Dms.TestSupport;

namespace Dms.EndToEndTests.Security;

/// <summary>
/// <c>dms login</c> against an API whose unauthenticated <c>/api/v1/info</c> names the identity provider: the
/// password goes only to HTTPS (or this machine), and only to the provider this API named at the last sign-in. The
/// API here is a stand-in serving that one answer; the provider it names must never be called.
/// </summary>
public sealed class LoginAuthorityTests : IAsyncDisposable
{
    private readonly HttpListener _api = new();
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("dms-login-");
    private readonly int _port = LoopbackPort.Free();
    private readonly List<string> _providerCalls = [];
    private string _authority = "";

    public LoginAuthorityTests()
    {
        _api.Prefixes.Add($"http://127.0.0.1:{_port}/");
        _api.Start();
        _ = ServeAsync();
    }

    private string ApiUrl => $"http://127.0.0.1:{_port}";

    private string SessionFile => Path.Combine(_home.FullName, "session.json");

    [Fact]
    public async Task A_password_is_not_sent_over_plain_http_to_another_machine()
    {
        _authority = "http://identity.example.com/eu-west-1_pool";

        var login = await LoginAsync();

        Assert.NotEqual(0, login.ExitCode);
        Assert.Contains("refuses to sign in over plain HTTP", login.Error + login.Output);
        Assert.False(File.Exists(SessionFile));
    }

    [Fact]
    public async Task A_password_is_not_sent_to_another_provider_than_the_api_named_at_the_last_sign_in()
    {
        // Signed in before through the provider on this machine's port 9 (pinned); the API now names port 10.
        await File.WriteAllTextAsync(SessionFile, JsonSerializer.Serialize(new
        {
            apiUrl = ApiUrl,
            authorities = new Dictionary<string, string> { [ApiUrl] = $"http://127.0.0.1:{_port}/pool-a" },
        }), TestContext.Current.CancellationToken);
        _authority = $"http://127.0.0.1:{_port}/pool-b";

        var login = await LoginAsync();

        Assert.NotEqual(0, login.ExitCode);
        Assert.Contains("refuses to sign you in there", login.Error + login.Output);
        Assert.Empty(_providerCalls);
    }

    private Task<ProcessResult> LoginAsync() =>
        ProcessRunner.RunAsync("dotnet", [Runbook.CliAssembly, "login", "--api", ApiUrl, "--user", "mallory@example.com", "--password", "secret"],
            new Dictionary<string, string> { ["DMS_SESSION"] = SessionFile });

    /// <summary>Answers <c>/api/v1/info</c> naming <see cref="_authority"/>; anything else is a call to the provider, recorded.</summary>
    private async Task ServeAsync()
    {
        while (_api.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _api.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath;
            if (path != "/api/v1/info")
            {
                lock (_providerCalls)
                {
                    _providerCalls.Add(path);
                }
            }

            var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { identity = new { authority = _authority, clientId = "dms-cli" } }));
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public ValueTask DisposeAsync()
    {
        _api.Close();
        _home.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}
