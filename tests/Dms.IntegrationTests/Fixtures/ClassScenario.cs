namespace Dms.IntegrationTests.Fixtures;

/// <summary>
/// One API and database for every test of a class (<c>IClassFixture</c>), started by the first test with the class's
/// settings and stopped after the last; each test gets two tenants of its own on it. Starting an API costs about a
/// second of CPU (a database copy, the host, its first request), two tenants a few milliseconds: a class of thirty
/// tests pays once. A test of what spans tenants (an operator's totals) sees the other tests' tenants too.
/// </summary>
public sealed class ClassScenario : IAsyncDisposable
{
    private readonly SemaphoreSlim _starting = new(1, 1);
    private ApiScenario? _scenario;

    /// <summary>The class's API (started by <paramref name="start"/> the first time) with two new tenants.</summary>
    public async Task<ApiScenario> GetAsync(Func<Task<ApiScenario>> start)
    {
        await _starting.WaitAsync();
        try
        {
            if (_scenario is null)
            {
                return _scenario = await start();
            }
        }
        finally
        {
            _starting.Release();
        }

        return await _scenario.WithNewTenantsAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_scenario is not null)
        {
            await _scenario.DisposeAsync();
        }

        _starting.Dispose();
    }
}
