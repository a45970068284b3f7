using System.Net;
using System.Net.Http.Json;
using Dms.Contracts;
using Dms.IntegrationTests.Api;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Security;

/// <summary>One tenant's flood of requests is refused with 429 and Retry-After; another tenant's requests go through.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RequestFloodTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ApiScenario _scenario = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await ApiScenario.StartAsync(postgres, settings: new Dictionary<string, string>
    {
        ["Dms:RateLimits:Default:TenantRequestsPerSecond"] = "4",
        ["Dms:RateLimits:Default:UserRequestsPerSecond"] = "3",
        ["Dms:RateLimits:AnonymousRequestsPerSecond"] = "5",
        ["Dms:RateLimits:Plans:enterprise:TenantRequestsPerSecond"] = "1000",
        ["Dms:RateLimits:Plans:enterprise:UserRequestsPerSecond"] = "1000",
    });

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task A_users_flood_is_refused_with_429_and_retry_after_while_another_tenant_is_served()
    {
        using var flooder = _scenario.EditorA;
        using var other = _scenario.EditorB;

        var flood = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => flooder.GetAsync("/api/v1/documents", Cancellation)));
        using var meanwhile = await other.GetAsync("/api/v1/documents", Cancellation);

        var refused = flood.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(flood, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        var problem = await ApiTests.AssertProblemAsync(refused[0], HttpStatusCode.TooManyRequests);
        Assert.Equal("urn:dms:problem:rate-limited", problem.GetProperty("type").GetString());
        Assert.True(refused[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, meanwhile.StatusCode);
    }

    [Fact]
    public async Task A_users_refused_flood_costs_the_tenant_nothing_and_another_user_of_it_is_served()
    {
        using var flooder = _scenario.EditorA;
        using var viewer = _scenario.ViewerA;

        // The editor's bucket holds 6 of the tenant's 8: only those 6 are charged to the tenant, the 24 refused are not.
        // A burst that takes longer than a third of a second on loaded cores gets a token or two more as the buckets refill.
        var flood = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => flooder.GetAsync("/api/v1/documents", Cancellation)));
        using var first = await viewer.GetAsync("/api/v1/documents", Cancellation);
        using var second = await viewer.GetAsync("/api/v1/documents", Cancellation);

        Assert.InRange(flood.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), 20, 24);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_token_are_limited_per_client_address()
    {
        using var anonymous = _scenario.Anonymous;
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorB, "signed"u8.ToArray(), "signed.txt", "text/plain");

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => anonymous.GetAsync("/api/v1/info", Cancellation)));
        using var badToken = _scenario.Api.CreateClient("not-a-token");
        using var withBadToken = await badToken.GetAsync("/api/v1/documents", Cancellation);
        // A signed upload URL carries no token: it shares the address's bucket, not its tenant's.
        using var upload = await _scenario.UploadAsync(created, new ByteArrayContent("signed"u8.ToArray()));
        using var signedIn = await _scenario.EditorB.GetAsync("/api/v1/documents", Cancellation);

        // Twice the rate at once (10 of 30), perhaps a few more as the bucket refills during the burst.
        Assert.InRange(answers.Count(r => r.StatusCode == HttpStatusCode.OK), 10, 15);
        var refused = answers.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        var problem = await ApiTests.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.Contains("without a token", problem.GetProperty("detail").GetString());
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.TooManyRequests, withBadToken.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, upload.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }

    [Fact]
    public async Task The_users_of_a_tenant_share_its_limit()
    {
        var users = Enumerable.Range(0, 10)
            .Select(i => _scenario.Api.CreateClient(TestTokens.Mint(_scenario.TenantA, [Roles.Viewer], subject: $"user-{i}")))
            .ToList();

        // Ten users, three requests each: within each user's limit, beyond the tenant's.
        var answers = await Task.WhenAll(users.SelectMany(user => Enumerable.Range(0, 3).Select(_ => user.GetAsync("/api/v1/documents", Cancellation))));

        Assert.Contains(answers, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        users.ForEach(user => user.Dispose());
    }

    [Fact]
    public async Task Operators_are_not_limited()
    {
        using var operatorClient = _scenario.Operator;

        // Several times any bucket's burst at once: an operator repairing the system is refused by no limit. (The
        // database may still answer some with 503 on a machine busy with other tests: that is not a limit.)
        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => operatorClient.GetAsync("/api/v1/admin/tenants", Cancellation)));

        Assert.DoesNotContain(answers, r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(answers.Count(r => r.StatusCode == HttpStatusCode.OK) > 10, string.Join(", ", answers.Select(r => (int)r.StatusCode)));
    }

    [Fact]
    public async Task A_tenant_on_a_plan_with_higher_limits_gets_them()
    {
        using var operatorClient = _scenario.Operator;
        var response = await operatorClient.PostAsJsonAsync("/api/v1/admin/tenants",
            new { name = $"Big {Guid.NewGuid():N}", plan = "enterprise", storageQuotaBytes = 1_000_000, retentionDays = 30 }, Cancellation);
        var big = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Cancellation)).GetProperty("id").GetGuid();
        using var client = _scenario.Api.CreateClient(TestTokens.For(big, Roles.Editor));

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => client.GetAsync("/api/v1/documents", Cancellation)));

        Assert.All(answers, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }
}
