namespace Dms.IntegrationTests.Fixtures;

/// <summary>
/// One API and database for every test of a class (<c>IClassFixture</c>), started by the first test with the class's
/// settings and stopped after the last; each test gets two tenants of its own on it. Starting an API costs about a
/// second of CPU (a database copy, the host, its first request), a worker process or clamd a few seconds more, two
/// tenants a few milliseconds: a class of thirty tests pays once. A test of what spans tenants (an operator's totals,
/// a sweep) sees the other tests' tenants too.
/// </summary>
public sealed class ClassScenario : IAsyncDisposable
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly List<IAsyncDisposable> _kept = [];
    private ApiScenario? _scenario;

    /// <summary>The class's API (started by <paramref name="start"/> the first time) with two new tenants.</summary>
    public async Task<ApiScenario> GetAsync(Func<Task<ApiScenario>> start)
    {
        var first = _scenario is null;
        _scenario = await KeepAsync(start);
        return first ? _scenario : await _scenario.WithNewTenantsAsync();
    }

    /// <summary>What the class's tests share besides the API (clamd, a worker): started by the first test, stopped after the last, one of each type.</summary>
    public async Task<T> KeepAsync<T>(Func<Task<T>> start)
        where T : class, IAsyncDisposable
    {
        await _starting.WaitAsync();
        try
        {
            if (_kept.OfType<T>().FirstOrDefault() is { } kept)
            {
                return kept;
            }

            var started = await start();
            _kept.Add(started);
            return started;
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>In the reverse order of their start: a worker stops before the API and the database it uses.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _kept.Count - 1; i >= 0; i--)
        {
            await _kept[i].DisposeAsync();
        }

        _starting.Dispose();
    }
}
