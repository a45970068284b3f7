using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dms.Contracts;
using Dms.Contracts.Http;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Sharing;

/// <summary>
/// Share links as their creator and a stranger use them: the stranger gets the document without an account, after its
/// password, as many downloads as the link allows (however many ask at once), and nothing once it is revoked, expired
/// or its document trashed; only the token's hash is stored; each use is in the document's history; one address is
/// rate limited; and only those who may change a document share it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ShareLinkTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private static readonly JsonSerializerOptions DmsJson = Contracts.Client.DmsApiClient.Json;

    private ApiScenario _scenario = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() =>
        _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres, settings: new Dictionary<string, string>
        {
            ["Dms:Sharing:MaxDays"] = "30",
            ["Dms:Sharing:RequestsPerSecond"] = "100",
        }));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_stranger_opens_a_link_with_its_password_downloads_as_often_as_it_allows_and_every_use_is_in_the_history()
    {
        using var editor = _scenario.EditorA;
        using var stranger = _scenario.Anonymous;
        var bytes = Encoding.UTF8.GetBytes("The lease, signed.");
        var document = await CleanDocumentAsync(editor, bytes);

        var link = await ReadAsync<ShareLinkResponse>(await editor.PostAsJsonAsync($"/api/v1/documents/{document}/share-links",
            new ShareLinkRequest(DateTimeOffset.UtcNow.AddDays(2), "open sesame", MaxDownloads: 2), Cancel), HttpStatusCode.Created);
        Assert.Equal(ShareLinks.Active, link.Status);
        var token = link.Token!;
        Assert.True(token.Length >= 40, token);

        // Only the token's hash is kept.
        Assert.Equal(1L, await Sql.ScalarAsync(_scenario.OwnerConnection, $"SELECT count(*) FROM share_links WHERE token_hash = '\\x{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))}'"));
        Assert.Equal(0L, await Sql.ScalarAsync(_scenario.OwnerConnection, $"SELECT count(*) FROM share_links s WHERE s::text LIKE '%{token}%'"));

        Assert.Equal("share-password-required", await ProblemAsync(await stranger.GetAsync($"/api/v1/shared/{token}", Cancel), HttpStatusCode.Forbidden));
        Assert.Equal("share-password-wrong", await ProblemAsync(await Shared(stranger, token, "content", "guess"), HttpStatusCode.Forbidden));
        var shown = await ReadAsync<SharedDocumentResponse>(await Shared(stranger, token, "", "open sesame"));
        Assert.Equal(("lease.txt", 2), (shown.FileName, shown.DownloadsLeft));

        // Two downloads allowed, five asked at once: two get the bytes.
        var downloads = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Shared(stranger, token, "content", "open sesame")));
        var statuses = string.Join(", ", await Task.WhenAll(downloads.Select(async d => $"{(int)d.StatusCode} {await d.Content.ReadAsStringAsync(Cancel)}")));
        Assert.True(downloads.Count(d => d.StatusCode == HttpStatusCode.OK) == 2, statuses);
        Assert.Equal(3, downloads.Count(d => d.StatusCode == HttpStatusCode.Gone));
        Assert.Equal(bytes, await downloads.First(d => d.IsSuccessStatusCode).Content.ReadAsByteArrayAsync(Cancel));
        Assert.Equal("share-link-spent", await ProblemAsync(await Shared(stranger, token, "", "open sesame"), HttpStatusCode.Gone));

        var listed = Assert.Single((await editor.GetFromJsonAsync<List<ShareLinkResponse>>($"/api/v1/documents/{document}/share-links", DmsJson, Cancel))!);
        Assert.Equal((2, 1, ShareLinks.UsedUp, (string?)null), (listed.Downloads, listed.Opens, listed.Status, listed.Token));

        // Reads reach the trail within a moment (AuditReadQueue).
        AuditPageResponse? history = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(200, Cancel))
        {
            history = await editor.GetFromJsonAsync<AuditPageResponse>($"/api/v1/documents/{document}/history", DmsJson, Cancel);
            if (history!.Events.Count(e => e.ActorKind == "share_link") >= 3)
            {
                break;
            }
        }

        var byLink = history!.Events.Where(e => e.ActorKind == "share_link").ToList();
        Assert.All(byLink, e => Assert.Equal(link.Id.ToString(), e.ActorId));
        Assert.Equal(2, byLink.Count(e => e.Action == AuditActions.Downloaded));
        Assert.Single(byLink, e => e.Action == AuditActions.ShareOpened);
        Assert.Single(history.Events, e => e.Action == AuditActions.ShareCreated && e.ActorKind == "user");
    }

    [Fact]
    public async Task A_revoked_an_expired_and_a_trashed_documents_link_are_gone_and_an_unknown_one_was_never_there()
    {
        using var editor = _scenario.EditorA;
        using var stranger = _scenario.Anonymous;
        var document = await CleanDocumentAsync(editor, Encoding.UTF8.GetBytes("Minutes."));
        async Task<ShareLinkResponse> CreateAsync() => await ReadAsync<ShareLinkResponse>(await editor.PostAsJsonAsync(
            $"/api/v1/documents/{document}/share-links", new ShareLinkRequest(DateTimeOffset.UtcNow.AddDays(1)), Cancel), HttpStatusCode.Created);

        var revoked = await CreateAsync();
        Assert.Equal(HttpStatusCode.OK, (await Shared(stranger, revoked.Token!, "content", null)).StatusCode);
        var afterRevoke = await ReadAsync<ShareLinkResponse>(await editor.PostAsync($"/api/v1/documents/{document}/share-links/{revoked.Id}/revoke", null, Cancel));
        Assert.Equal(ShareLinks.Revoked, afterRevoke.Status);
        Assert.Equal("share-link-spent", await ProblemAsync(await Shared(stranger, revoked.Token!, "content", null), HttpStatusCode.Gone));

        var expired = await CreateAsync();
        await Sql.ScalarAsync(_scenario.OwnerConnection, $"UPDATE share_links SET expires_at = now() - interval '1 second' WHERE id = '{expired.Id}'");
        Assert.Equal("share-link-spent", await ProblemAsync(await Shared(stranger, expired.Token!, "", null), HttpStatusCode.Gone));

        var trashed = await CreateAsync();
        Assert.Equal(HttpStatusCode.OK, (await editor.DeleteAsync($"/api/v1/documents/{document}", Cancel)).StatusCode);
        Assert.Equal("share-link-spent", await ProblemAsync(await Shared(stranger, trashed.Token!, "", null), HttpStatusCode.Gone));

        Assert.Equal(HttpStatusCode.NotFound, (await Shared(stranger, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('/', '_'), "", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Shared(stranger, new string('a', 5000), "", null)).StatusCode);
    }

    [Fact]
    public async Task Only_who_may_change_a_document_shares_it_for_no_longer_than_the_plan_allows_and_another_tenant_sees_none_of_it()
    {
        using var editor = _scenario.EditorA;
        var document = await CleanDocumentAsync(editor, Encoding.UTF8.GetBytes("Payroll."));
        var request = new ShareLinkRequest(DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal(HttpStatusCode.Forbidden, (await _scenario.ViewerA.PostAsJsonAsync($"/api/v1/documents/{document}/share-links", request, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _scenario.EditorB.PostAsJsonAsync($"/api/v1/documents/{document}/share-links", request, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _scenario.EditorB.GetAsync($"/api/v1/documents/{document}/share-links", Cancel)).StatusCode);
        Assert.Equal("invalid-expiresAt", await ProblemAsync(await editor.PostAsJsonAsync($"/api/v1/documents/{document}/share-links",
            new ShareLinkRequest(DateTimeOffset.UtcNow.AddDays(31)), Cancel), HttpStatusCode.BadRequest));
        Assert.Equal("invalid-expiresAt", await ProblemAsync(await editor.PostAsJsonAsync($"/api/v1/documents/{document}/share-links",
            new ShareLinkRequest(null), Cancel), HttpStatusCode.BadRequest));
        Assert.Equal("invalid-maxDownloads", await ProblemAsync(await editor.PostAsJsonAsync($"/api/v1/documents/{document}/share-links",
            new ShareLinkRequest(DateTimeOffset.UtcNow.AddDays(1), MaxDownloads: 0), Cancel), HttpStatusCode.BadRequest));

        var link = await ReadAsync<ShareLinkResponse>(await editor.PostAsJsonAsync($"/api/v1/documents/{document}/share-links", request, Cancel), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NotFound, (await _scenario.EditorB.PostAsync($"/api/v1/documents/{document}/share-links/{link.Id}/revoke", null, Cancel)).StatusCode);
    }

    [Fact]
    public async Task One_address_asking_too_fast_is_refused_with_429()
    {
        // An API of its own, allowing one request a second (two at once): ten asked at once cannot all pass.
        await using var limited = await ApiScenario.StartAsync(postgres, settings: new Dictionary<string, string> { ["Dms:Sharing:RequestsPerSecond"] = "1" });
        using var stranger = limited.Anonymous;
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => stranger.GetAsync("/api/v1/shared/no-such-link", Cancel)));
        Assert.InRange(answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests), 1, 10);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests }));
    }

    /// <summary>A document whose one version was uploaded and passed the scan.</summary>
    private async Task<Guid> CleanDocumentAsync(HttpClient client, byte[] bytes)
    {
        var created = await ApiScenario.CreateDocumentAsync(client, bytes, "lease.txt", "text/plain");
        await _scenario.UploadAndCompleteAsync(client, created, bytes);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        await Sql.ScalarAsync(_scenario.OwnerConnection, $"""
            SELECT set_config('app.cross_tenant', 'on', false);
            UPDATE document_versions SET scan_verdict = 'clean' WHERE document_id = '{id}';
            UPDATE documents SET status = 'ready' WHERE id = '{id}';
            """);
        return id;
    }

    private static Task<HttpResponseMessage> Shared(HttpClient client, string token, string what, string? password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/shared/{token}{(what.Length == 0 ? "" : "/" + what)}");
        if (password is not null)
        {
            request.Headers.Add(ShareLinks.PasswordHeader, password);
        }

        return client.SendAsync(request, Cancel);
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(Cancel);
            Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
            var type = JsonDocument.Parse(body).RootElement.GetProperty("type").GetString()!;
            return type[(type.LastIndexOf(':') + 1)..];
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using (response)
        {
            Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync(Cancel)}");
            return (await response.Content.ReadFromJsonAsync<T>(DmsJson, Cancel))!;
        }
    }
}
