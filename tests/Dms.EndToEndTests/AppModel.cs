using Dms.TestSupport;
using Dms.Contracts;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Aspire.Hosting.ApplicationModel;
using Dms.AppHost;
using Dms.AppHost.Identity;
using Dms.AppHost.Run;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dms.EndToEndTests;

/// <summary>
/// The whole app model (postgres, migrations, api, worker and the local stand-ins) started by the AppHost with a
/// state folder of its own, so it never touches a developer's data and can run beside <c>./dms.sh run</c>.
/// </summary>
public sealed class AppModel : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private AppModel(DistributedApplication app, string stateDirectory) => (App, StateDirectory) = (app, stateDirectory);

    public DistributedApplication App { get; }

    public string StateDirectory { get; }

    /// <param name="localIdentity">Whether to run the local identity provider; without, an external issuer that nothing answers for.</param>
    /// <param name="profile">Embedded, or LocalAws (S3 and SQS at fauxqs).</param>
    /// <param name="appHostDirectory">
    /// Where the AppHost is to take itself to be (its scripts, and the default state folder beside it); by default
    /// where it was built.
    /// </param>
    /// <param name="stateDirectory">The state folder; null for the AppHost's default, <c>.dms-state</c> beside its folder.</param>
    /// <param name="settings">More AppHost settings (<c>--Dms:...=value</c>).</param>
    public static async Task<AppModel> StartAsync(
        string? stateDirectory, CancellationToken cancellationToken, DeploymentProfile profile = DeploymentProfile.Embedded, bool localIdentity = true,
        string? appHostDirectory = null, IReadOnlyList<string>? settings = null)
    {
        // Retries in milliseconds rather than seconds, so a dead letter takes a moment, not a minute; the worker's sweeps
        // (retention, holds) every five seconds rather than every minute, and a lease of fifteen seconds rather than a
        // minute (the job of a killed worker comes back that much sooner), so a test waits on them for a moment.
        string[] pipeline =
        [
            "--Dms:Processing:RetryBaseDelay=00:00:00.100", "--Dms:Processing:MaxAttempts=3", "--Dms:Sweeps:Interval=00:00:05", "--Dms:Queue:Lease=00:00:15",
        ];
        // Every test's browsers and clients sign in from 127.0.0.1, one address for all of a test run's users: the
        // provider's per-address throttle (30 posts a minute) is for one person's address, and is tested on its own
        // (IntegrationTests/Identity/ProviderTests).
        string[] identity = localIdentity
            ? ["--Dms:Identity:SignInAttemptsPerMinute=600"]
            : ["--Dms:Identity:Authority=https://127.0.0.1:1/no-identity-in-this-test", "--Dms:Identity:Audience=no-client-in-this-test"];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Dms_AppHost>(
            [
                .. stateDirectory is null ? Array.Empty<string>() : [$"--Dms:StateDirectory={stateDirectory}"],
                "--Dms:Postgres:Port=0",
                "--Dms:Scanner:Port=0",
                "--Dms:Fauxqs:Port=0",
                $"--Dms:Profile={profile}",
                // Any free ports, not the launch profiles' fixed ones: two app models may run side by side.
                "--DcpPublisher:RandomizePorts=true",
                .. identity,
                .. pipeline,
                .. settings ?? [],
            ],
            (options, _) => options.ProjectDirectory = appHostDirectory ?? options.ProjectDirectory,
            cancellationToken);
        // The resources' own logs stay in the resource logger (and a dashboard); the console gets only the AppHost's warnings.
        builder.Services.AddLogging(logging => logging
            .AddFilter("Dms.AppHost.Resources", LogLevel.None)
            .AddFilter("Aspire.Hosting", LogLevel.Warning)
            .AddFilter("System.Net.Http", LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical));
        var app = await builder.BuildAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        try
        {
            await app.StartAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (app.Services.GetRequiredService<RunMonitor>().FailureReport is { } report)
        {
            throw new InvalidOperationException(report);
        }

        await app.ResourceNotifications.WaitForResourceHealthyAsync("api", timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("worker", timeout.Token);
        // As a person at the console waits for "Dms is ready": from then on, the run starts a resource again when it exits.
        await app.Services.GetRequiredService<RunMonitor>().Ready.WaitAsync(timeout.Token);
        return new AppModel(app, StateFolder.Of(app.Services.GetRequiredService<IConfiguration>(), builder.AppHostDirectory));
    }

    /// <summary>
    /// A temporary state folder. Temporary folders are made private to their owner; this one must be searchable by
    /// the 'postgres' system user that the server runs as when the tests run as root.
    /// </summary>
    public static DirectoryInfo CreateStateDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("dms-e2e-");
        if (!OperatingSystem.IsWindows())
        {
            directory.UnixFileMode |= UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        }

        return directory;
    }

    /// <summary>An API client signed in as one of the demo users at the local identity provider.</summary>
    public Task<HttpClient> SignInAsync(string user, CancellationToken cancellationToken) =>
        SignInAsAsync($"{user}@demo.dms.local", DemoIdentity.Password, cancellationToken);

    /// <summary>An operator creates a tenant and one user of it with <paramref name="role"/>: their e-mail and the temporary password they sign in with once.</summary>
    public async Task<(string Username, string TemporaryPassword)> CreateTenantUserAsync(string tenantName, string role, CancellationToken cancellationToken)
    {
        using var operatorClient = await SignInAsync("operator", cancellationToken);
        var tenant = await (await operatorClient.PostAsJsonAsync("/api/v1/admin/tenants",
            new { name = tenantName, plan = "standard", storageQuotaBytes = 100L << 30, retentionDays = 30 }, cancellationToken))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var username = $"{role}-{Guid.NewGuid():N}@tenant.dms.local";
        var user = await (await operatorClient.PostAsJsonAsync($"/api/v1/admin/tenants/{tenant.GetProperty("id").GetGuid()}/users",
            new { email = username, role }, cancellationToken)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return (username, user.GetProperty("temporaryPassword").GetString()!);
    }

    /// <summary>The local identity provider as the AppHost wrote it down once it was ready: where it is, the client, the web app's redirect address.</summary>
    public async Task<ProviderSignIn> ProviderAsync(CancellationToken cancellationToken)
    {
        var client = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(StateDirectory, "identity", LocalIdentity.ClientFile), cancellationToken)).RootElement;
        return new ProviderSignIn(new Uri(client.GetProperty("authority").GetString()!), client.GetProperty("clientId").GetString()!, client.GetProperty("redirectUri").GetString()!);
    }

    /// <summary>Signs a user in at the provider (a first sign-in with a temporary password sets a new one, as a new user does): an API client with their ID token.</summary>
    public async Task<HttpClient> SignInAsAsync(string username, string password, CancellationToken cancellationToken)
    {
        var token = await (await ProviderAsync(cancellationToken)).IdTokenAsync(username, password, cancellationToken);
        var api = App.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return api;
    }

    public async Task<ResourceEvent> WaitForStateAsync(string resource, string state, CancellationToken cancellationToken) =>
        await App.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text == state, cancellationToken);

    /// <summary>
    /// Starts a stopped resource and waits, for <see cref="StartTimeout"/> at most, until it is healthy. Right after the
    /// command the resource can still read as exited, and Aspire's wait for "healthy" stops on that by default with
    /// "failed to start" (seen in full runs): this one waits through it.
    /// </summary>
    public async Task StartAgainAsync(string resource, CancellationToken cancellationToken)
    {
        var started = await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, cancellationToken);
        if (!started.Success)
        {
            throw new InvalidOperationException($"{resource} did not start: {started.Message}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.WaitOnResourceUnavailable, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
