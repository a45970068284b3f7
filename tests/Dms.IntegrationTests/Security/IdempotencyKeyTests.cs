using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.Contracts;
using Dms.IntegrationTests.Api;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Security;

/// <summary>An <c>Idempotency-Key</c> replays its answer only to the caller who sent it, only for the same request, and only for a day.</summary>
[Collection(PostgresCollection.Name)]
public sealed class IdempotencyKeyTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private static readonly object Body = new { fileName = "a.pdf", contentType = "application/pdf", sizeBytes = 1234 };

    private ApiScenario _scenario = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Another_user_of_the_tenant_sending_the_same_key_does_not_get_the_first_users_answer()
    {
        var key = Guid.NewGuid().ToString();
        using var alice = _scenario.Api.CreateClient(TestTokens.Mint(_scenario.TenantA, [Roles.Editor], subject: "alice"));
        using var mallory = _scenario.Api.CreateClient(TestTokens.Mint(_scenario.TenantA, [Roles.Editor], subject: "mallory"));

        using var first = await SendAsync(alice, key, Body);
        using var other = await SendAsync(mallory, key, Body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.False(other.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(await UploadUrlAsync(first), await UploadUrlAsync(other));
    }

    [Fact]
    public async Task The_same_key_for_another_request_is_unprocessable()
    {
        var key = Guid.NewGuid().ToString();

        using var first = await SendAsync(_scenario.EditorA, key, Body);
        using var other = await SendAsync(_scenario.EditorA, key, new { fileName = "b.pdf", contentType = "application/pdf", sizeBytes = 99 });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var problem = await ApiTests.AssertProblemAsync(other, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("urn:dms:problem:idempotency-key-reused", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_key_older_than_its_lifetime_acts_again()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await SendAsync(_scenario.EditorA, key, Body);
        await Sql.ScalarAsync(_scenario.OwnerConnection, $"UPDATE idempotency_keys SET created_at = created_at - interval '25 hours' WHERE key = '{key}'");

        using var later = await SendAsync(_scenario.EditorA, key, Body);

        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.False(later.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(await UploadUrlAsync(first), await UploadUrlAsync(later));
    }

    [Fact]
    public async Task A_duplicate_sent_while_the_first_is_acting_is_told_it_is_in_progress()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await SendAsync(_scenario.EditorA, key, Body);
        // The first request as it is while it acts: its key claimed, no answer yet.
        await Sql.ScalarAsync(_scenario.OwnerConnection, $"UPDATE idempotency_keys SET status_code = 0, response_body = 'null' WHERE key = '{key}'");

        using var duplicate = await SendAsync(_scenario.EditorA, key, Body);

        var problem = await ApiTests.AssertProblemAsync(duplicate, HttpStatusCode.Conflict);
        Assert.Equal("urn:dms:problem:idempotency-key-in-progress", problem.GetProperty("type").GetString());
        Assert.Equal(TimeSpan.FromSeconds(1), duplicate.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task A_key_whose_request_never_answered_is_taken_over_after_its_in_progress_lifetime()
    {
        var key = Guid.NewGuid().ToString();
        using var first = await SendAsync(_scenario.EditorA, key, Body);
        // The process acting on it stopped three minutes ago, before it could answer.
        await Sql.ScalarAsync(_scenario.OwnerConnection,
            $"UPDATE idempotency_keys SET status_code = 0, response_body = 'null', created_at = created_at - interval '3 minutes' WHERE key = '{key}'");

        using var retry = await SendAsync(_scenario.EditorA, key, Body);

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task A_refused_request_does_not_keep_its_key()
    {
        var key = Guid.NewGuid().ToString();
        var tooBig = new { fileName = "a.pdf", contentType = "application/pdf", sizeBytes = 5_000_000_000 };

        using var refused = await SendAsync(_scenario.EditorA, key, tooBig);

        Assert.True((int)refused.StatusCode is >= 400 and < 500, $"{refused.StatusCode}");
        Assert.Equal(0L, await Sql.ScalarAsync(_scenario.OwnerConnection, $"SELECT count(*) FROM idempotency_keys WHERE key = '{key}'"));
    }

    [Fact]
    public async Task Sixty_concurrent_idempotent_creates_of_one_tenant_leave_connections_for_another_tenant()
    {
        // An API with eight connections: were each idempotent request to hold one while it acts, eight of them
        // would take them all and every request would wait for the pool's timeout.
        await using var small = await ApiScenario.StartAsync(postgres, poolSize: 8, settings: new Dictionary<string, string> { ["Dms:Database:Deadline"] = "00:00:30" });
        using var editorA = small.EditorA;
        using var editorB = small.EditorB;
        var keys = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid().ToString()).ToList();
        var duplicated = Guid.NewGuid().ToString();
        keys.AddRange(Enumerable.Repeat(duplicated, 10));

        var burst = keys.Select(async key =>
        {
            using var response = await SendAsync(editorA, key, Body);
            return response.StatusCode;
        }).ToList();
        using var other = await editorB.GetAsync("/api/v1/documents", Cancellation);
        var answers = await Task.WhenAll(burst);

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.All(answers.Take(50), status => Assert.Equal(HttpStatusCode.Created, status));
        // The same key ten times at once: one acts, the others see it in progress or get its answer again.
        Assert.All(answers.Skip(50), status => Assert.Contains(status, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Equal(51L, await Sql.ScalarAsync(small.OwnerConnection, "SELECT count(*) FROM documents"));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request, Cancellation);
    }

    private static async Task<string> UploadUrlAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("upload").GetProperty("url").GetString()!;
}
