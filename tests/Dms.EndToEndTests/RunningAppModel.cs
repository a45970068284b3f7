using Dms.AppHost;
using Dms.EndToEndTests;
using Dms.TestSupport;

[assembly: TestCollectionOrderer(typeof(EmbeddedAppModelFirst))]

namespace Dms.EndToEndTests;

/// <summary>One started app model shared by a collection of tests: starting and stopping it takes tens of seconds.</summary>
public abstract class RunningAppModel(DeploymentProfile profile) : IAsyncLifetime
{
    private readonly DirectoryInfo _state = AppModel.CreateStateDirectory();

    public DeploymentProfile Profile { get; } = profile;

    public AppModel Model { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Model = await AppModel.StartAsync(_state.FullName, TestContext.Current.CancellationToken, Profile);

    public async ValueTask DisposeAsync()
    {
        await Model.DisposeAsync();
        _state.Delete(recursive: true);
    }
}

/// <summary>The system as <c>./dms.sh run</c> starts it: a blob folder, PostgreSQL's queue.</summary>
public sealed class RunningEmbeddedAppModel() : RunningAppModel(DeploymentProfile.Embedded);

/// <summary>The system as <c>./dms.sh run --profile local-aws</c> starts it: the S3 and SQS adapters, at fauxqs.</summary>
public sealed class RunningLocalAwsAppModel() : RunningAppModel(DeploymentProfile.LocalAws);

/// <summary>The embedded app model's collection, the suite's longest (every browser test), starts first; the others run beside it.</summary>
public sealed class EmbeddedAppModelFirst() : LongestCollectionFirst(EmbeddedAppModelCollection.Name);

[CollectionDefinition(Name)]
public sealed class EmbeddedAppModelCollection : ICollectionFixture<RunningEmbeddedAppModel>
{
    public const string Name = "embedded app model";
}

/// <summary>
/// Runs beside the embedded one: each app model's services, its identity provider too, listen on ports of their own
/// (<c>--DcpPublisher:RandomizePorts</c>). Run alone after the others, it added a minute to the suite.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LocalAwsAppModelCollection : ICollectionFixture<RunningLocalAwsAppModel>
{
    public const string Name = "local AWS app model";
}
