using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Dms.EndToEndTests;

/// <summary>
/// The whole app model (postgres, migrations, api, worker) started by the AppHost with a PostgreSQL state folder of
/// its own, so it never touches a developer's data and can run beside <c>./dms.sh run</c>.
/// </summary>
public sealed class AppModel : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private AppModel(DistributedApplication app, string stateDirectory) => (App, StateDirectory) = (app, stateDirectory);

    public DistributedApplication App { get; }

    public string StateDirectory { get; }

    /// <param name="localIdentity">
    /// Whether to run the local identity provider. It listens on its fixed port, so only one app model at a time can;
    /// the others are given an external issuer that nothing answers for.
    /// </param>
    public static async Task<AppModel> StartAsync(string stateDirectory, CancellationToken cancellationToken, bool localIdentity = true)
    {
        string[] identity = localIdentity ? [] : ["--Dms:Identity:Authority=https://127.0.0.1:1/no-identity-in-this-test"];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Dms_AppHost>(
            [
                $"--Dms:StateDirectory={stateDirectory}",
                "--Dms:Postgres:Port=0",
                "--Dms:Scanner:Port=0",
                // Any free ports, not the launch profiles' fixed ones: two app models may run side by side.
                "--DcpPublisher:RandomizePorts=true",
                .. identity,
            ],
            cancellationToken);
        var app = await builder.BuildAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("api", timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("worker", timeout.Token);
        return new AppModel(app, stateDirectory);
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

    public async Task<ResourceEvent> WaitForStateAsync(string resource, string state, CancellationToken cancellationToken) =>
        await App.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text == state, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>One started app model shared by a collection of tests: starting and stopping it takes tens of seconds.</summary>
public sealed class RunningAppModel : IAsyncLifetime
{
    private readonly DirectoryInfo _state = AppModel.CreateStateDirectory();

    public AppModel Model { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Model = await AppModel.StartAsync(_state.FullName, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Model.DisposeAsync();
        _state.Delete(recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class RunningAppModelCollection : ICollectionFixture<RunningAppModel>
{
    public const string Name = "running app model";
}
