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
public sealed class IdempotencyKeyTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private static readonly object Body = new { fileName = "a.pdf", contentType = "application/pdf", sizeBytes = 1234 };

    private ApiScenario _scenario = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await ApiScenario.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

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

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/documents") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request, Cancellation);
    }

    private static async Task<string> UploadUrlAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("upload").GetProperty("url").GetString()!;
}
