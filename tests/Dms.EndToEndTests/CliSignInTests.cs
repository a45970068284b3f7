using System.Text.Json;
using Dms.Contracts;
using Dms.TestSupport;

namespace Dms.EndToEndTests;

/// <summary>
/// <c>dms login --browser</c>, the way in with a provider without the device flow (Cognito's hosted UI on AWS): the
/// person signs in in a browser, which comes back to the terminal's loopback address with a code; no password goes
/// through the terminal. Dms's own provider stands in for the hosted UI here (the same code flow with PKCE, the same
/// registered callback); what this cannot prove is Cognito's hosted UI itself (no AWS here).
/// </summary>
[Collection(EmbeddedAppModelCollection.Name)]
public sealed class CliSignInTests(RunningEmbeddedAppModel running) : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("dms-cli-sign-in-");

    private CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_terminal_signs_in_through_a_browser_that_comes_back_to_it()
    {
        var provider = await running.Model.ProviderAsync(Cancellation);
        var signedIn = new List<Task<string>>();
        var session = Path.Combine(_home.FullName, "session.json");

        var login = await ProcessRunner.RunAsync("dotnet",
            [Runbook.CliAssembly, "login", "--browser", "--api", running.Model.App.GetEndpoint("api", "http").ToString().TrimEnd('/')],
            new Dictionary<string, string> { ["DMS_SESSION"] = session }, TimeSpan.FromMinutes(1), _home.FullName, line =>
            {
                if (line.Trim() is var address && address.StartsWith("http", StringComparison.Ordinal) && address.Contains("/connect/authorize?", StringComparison.Ordinal))
                {
                    signedIn.Add(provider.SignInForTerminalAsync(address, "viewer@demo.dms.local", DemoIdentity.Password, Cancellation));
                }
            });

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Signed in to Dms", await Assert.Single(signedIn));
        Assert.Contains("as viewer@demo.dms.local", login.Output);
        Assert.DoesNotContain("Password", login.Output, StringComparison.OrdinalIgnoreCase);
        var saved = JsonDocument.Parse(await File.ReadAllTextAsync(session, Cancellation)).RootElement;
        using var api = running.Model.App.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new("Bearer", saved.GetProperty("token").GetString());
        using var tenant = await api.GetAsync("/api/v1/tenant", Cancellation);
        Assert.Equal(System.Net.HttpStatusCode.OK, tenant.StatusCode);
    }

    public void Dispose() => _home.Delete(recursive: true);
}
