using System.Net;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Api;

/// <summary>
/// The database drops every connection of the api at once (a restart, a failover; here its backends are terminated,
/// which is what a restart does to them): the requests after it are served, not failed one by one on pooled
/// connections that died with the old server. (A guard: Npgsql and EF Core already handle it; it passed before any
/// change was made for it.)
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DatabaseRestartTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private const int PoolSize = 8;
    private ApiScenario _scenario = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await ApiScenario.StartAsync(postgres, poolSize: PoolSize);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task After_the_database_drops_every_connection_at_most_one_request_fails_before_the_api_reads_again()
    {
        using var editor = _scenario.EditorA;
        // Fill the pool: as many idle connections as it holds.
        var warm = await Task.WhenAll(Enumerable.Range(0, 3 * PoolSize).Select(_ => editor.GetAsync("/api/v1/documents?limit=1", Cancellation)));
        Assert.All(warm, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));

        await Sql.ScalarAsync(_scenario.OwnerConnection,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND usename = 'dms_app'");
        var afterwards = new List<HttpStatusCode>();
        for (var i = 0; i < 2 * PoolSize; i++)
        {
            using var answer = await editor.GetAsync("/api/v1/documents?limit=1", Cancellation);
            afterwards.Add(answer.StatusCode);
        }

        Assert.True(afterwards.Count(status => status != HttpStatusCode.OK) <= 1, string.Join(", ", afterwards));
        Assert.All(afterwards.Skip(1), status => Assert.Equal(HttpStatusCode.OK, status));
    }
}
