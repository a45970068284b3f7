using System.Net;
using System.Net.Sockets;
using Dms.TestSupport;

namespace Dms.EndToEndTests;

/// <summary>
/// What <c>./dms.sh run</c> tells the person at the console: that the system is ready, with where things are; or which
/// resource failed, its last lines and what to do, after which it stops everything and exits non-zero. The AppHost runs
/// as its own process, as the script runs it, without the local identity provider (whose port is fixed, and which the
/// other app models use).
/// </summary>
public sealed class RunConsoleTests : IDisposable
{
    private static readonly string[] WithoutLocalIdentity = ["--Dms:Identity:Authority=https://127.0.0.1:1/no-identity-in-this-test", "--Dms:Identity:Audience=no-client-in-this-test"];

    private readonly DirectoryInfo _state = AppModel.CreateStateDirectory();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_postgresql_the_run_ends_within_a_minute_naming_the_cause()
    {
        await using var run = AppHostProcess.Start(_state.FullName,
            ["--Dms:Postgres:BinDirectory=/nonexistent/postgresql/bin", "--DcpPublisher:RandomizePorts=true", .. WithoutLocalIdentity]);

        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(1), Cancellation);

        Assert.Equal(1, exitCode);
        Assert.Contains("Dms did not start: postgres: it exited with code 1.", run.Error);
        Assert.Contains("No PostgreSQL server binaries found in /nonexistent/postgresql/bin", run.Error);
        Assert.Contains("What to do:", run.Error);
        Assert.DoesNotContain("Dms is ready", run.Output);
    }

    [Fact]
    public async Task With_the_api_port_taken_the_run_ends_at_once_naming_the_port()
    {
        // The api's port as the launch profile fixes it. If another program (a developer's own run) holds it already,
        // that is the case under test as well.
        using var holder = TryListen(5380);
        await using var run = AppHostProcess.Start(_state.FullName, WithoutLocalIdentity);

        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(1), Cancellation);

        Assert.Equal(1, exitCode);
        Assert.Contains("Dms did not start: port 5380, which api (http) listens on, is taken by another program.", run.Error);
        Assert.Contains("What to do: stop that program", run.Error);
    }

    [Fact]
    public async Task The_run_says_once_when_it_is_ready_with_the_dashboards_sign_in_link_and_a_stop_signal_ends_everything_it_started()
    {
        await using var run = AppHostProcess.Start(_state.FullName, ["--DcpPublisher:RandomizePorts=true", .. WithoutLocalIdentity]);

        var ready = await run.WaitForOutputAsync("Dms is ready", AppModel.StartTimeout, Cancellation);
        var dashboard = await DashboardAnswersAsync(ready);
        run.Terminate();
        var exitCode = await run.WaitForExitAsync(TimeSpan.FromMinutes(1), Cancellation);

        Assert.Matches(@"^Dms is ready: web app http://localhost:\d+ \| dashboard http://localhost:\d+/login\?t=[0-9a-f]{48} \| API http://localhost:\d+ \(reference http://localhost:\d+/scalar\) \| ", ready);
        // The dashboard asks who you are: without the token its pages send the browser to sign in; the link signs it in.
        Assert.Equal((HttpStatusCode.Redirect, "/login"), (dashboard.Anonymous.Status, dashboard.Anonymous.Location?.AbsolutePath));
        Assert.Equal(HttpStatusCode.Redirect, dashboard.SignedIn.Status);
        Assert.Equal("/", dashboard.SignedIn.Location?.OriginalString);
        Assert.Contains(dashboard.SignedIn.Cookies, cookie => cookie.StartsWith(".Aspire.Dashboard.Auth", StringComparison.Ordinal));
        var tokenFile = Path.Combine(_state.FullName, "dashboard-token");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(tokenFile));
        Assert.Contains($"t={await File.ReadAllTextAsync(tokenFile, Cancellation)}", ready);
        Assert.Single(run.Output.Split('\n'), line => line.StartsWith("Dms is ready", StringComparison.Ordinal));
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("did not start", run.Error);
        // Logged where the dashboard shows its red "No trusted development certificate" banner: nothing here asks for TLS.
        Assert.DoesNotContain("development certificate", run.Output + run.Error);
        // PostgreSQL and clamd are named by the state folder on their command lines; once the AppHost has ended,
        // the orchestrator has stopped them, or they are ending: under the full suite's load, PostgreSQL was once
        // still there the moment the AppHost had exited (its fast shutdown writes a checkpoint). One that was never
        // told to stop is still there after the wait.
        Assert.Empty(await ProcessesStillNamingAsync(_state.FullName, TimeSpan.FromSeconds(30)));
    }

    public void Dispose() => _state.Delete(recursive: true);

    private sealed record Answer(HttpStatusCode Status, Uri? Location, IReadOnlyList<string> Cookies);

    /// <summary>What the dashboard answers a browser without its token, and its sign-in link.</summary>
    private static async Task<(Answer Anonymous, Answer SignedIn)> DashboardAnswersAsync(string readyLine)
    {
        var link = new Uri(System.Text.RegularExpressions.Regex.Match(readyLine, @"dashboard (\S+)").Groups[1].Value);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var anonymous = await browser.GetAsync(new Uri(link, "/"), Cancellation);
        using var signedIn = await browser.GetAsync(link, Cancellation);
        return (Of(anonymous), Of(signedIn));

        static Answer Of(HttpResponseMessage response) =>
            new(response.StatusCode, response.Headers.Location, response.Headers.TryGetValues("Set-Cookie", out var cookies) ? [.. cookies] : []);
    }

    private static TcpListener? TryListen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            listener.Dispose();
            return null;
        }
    }

    /// <summary>The processes whose command lines name <paramref name="text"/> (with their state and age), once none are left or <paramref name="wait"/> is over.</summary>
    private static async Task<string[]> ProcessesStillNamingAsync(string text, TimeSpan wait)
    {
        var until = DateTime.UtcNow + wait;
        while (true)
        {
            var listing = await ProcessRunner.RunAsync("ps", ["-eo", "pid,stat,etime,args"]);
            var naming = listing.Output.Split('\n').Where(line => line.Contains(text, StringComparison.Ordinal) && !line.Contains(" ps -eo", StringComparison.Ordinal)).ToArray();
            if (naming.Length == 0 || DateTime.UtcNow > until)
            {
                return naming;
            }

            await Task.Delay(250, Cancellation);
        }
    }
}
