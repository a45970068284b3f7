namespace Dms.EndToEndTests;

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
