using System.Net.Http.Json;
using System.Text.Json;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Security;

/// <summary>The API's public <c>/health</c> tells anyone its status, tells only operators its internals, and cannot be used to hammer the dependencies.</summary>
[Collection(PostgresCollection.Name)]
public sealed class HealthExposureTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ApiScenario _scenario = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await ApiScenario.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task An_anonymous_probe_learns_the_status_and_no_paths_hosts_or_versions()
    {
        var anonymous = await _scenario.Anonymous.GetStringAsync("/health", Cancellation);
        var tenantUser = await _scenario.AdminA.GetStringAsync("/health", Cancellation);
        var asOperator = await _scenario.Operator.GetFromJsonAsync<JsonElement>("/health", Cancellation);

        foreach (var body in new[] { anonymous, tenantUser })
        {
            var health = JsonDocument.Parse(body).RootElement;
            Assert.Equal("Healthy", health.GetProperty("status").GetString());
            Assert.False(health.TryGetProperty("entries", out _), body);
            Assert.DoesNotContain(_scenario.Api.BlobRoot.FullName, body);
        }

        Assert.Contains(_scenario.Api.BlobRoot.FullName, asOperator.GetProperty("entries").GetProperty("storage").GetProperty("description").GetString());
    }

    [Fact]
    public async Task A_burst_of_probes_is_answered_from_one_run_of_the_checks()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _scenario.Operator.GetFromJsonAsync<JsonElement>("/health", Cancellation)));

        var runs = answers.Select(a => a.GetProperty("checkedAt").GetDateTimeOffset()).Distinct().ToList();
        Assert.Single(runs);
    }
}
