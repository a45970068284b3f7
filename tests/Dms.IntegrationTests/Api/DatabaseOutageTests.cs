using System.Net;
using Dms.Api.Problems;
using Dms.Contracts;
using Dms.IntegrationTests.Fixtures;

namespace Dms.IntegrationTests.Api;

public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task An_unreachable_database_is_a_service_unavailable_problem_without_internals()
    {
        // Nothing listens on port 1: every query fails the way it does while the database restarts.
        await using var api = new ApiFactory("Host=127.0.0.1;Port=1;Username=dms;Password=x;Database=dms;Timeout=2");
        using var client = api.CreateClient(TestTokens.For(null, Roles.Operator));

        var response = await client.GetAsync("/api/v1/admin/info", TestContext.Current.CancellationToken);

        var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(ProblemTypes.DatabaseUnavailable, problem.GetProperty("type").GetString());
        var body = problem.ToString();
        Assert.DoesNotContain("Npgsql", body);
        Assert.DoesNotContain("127.0.0.1", body);
    }

    [Fact]
    public async Task Health_is_unhealthy_when_the_database_is_unreachable()
    {
        await using var api = new ApiFactory("Host=127.0.0.1;Port=1;Username=dms;Password=x;Database=dms;Timeout=2");
        using var client = api.CreateClient();

        var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("\"Unhealthy\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
