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
/// rate limited; and only those who may change a document share it. A saved view's link shows the ready documents the
/// view keeps when it is opened that are restricted to no one, serves only those, and counts one download limit across them.
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
        var shown = await ReadAsync<SharedResponse>(await Shared(stranger, token, "", "open sesame"));
        Assert.Equal(("lease.txt", 2, (Guid?)null, (SharedView?)null), (shown.Document!.FileName, shown.DownloadsLeft, shown.Document.Id, shown.View));

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
    public async Task A_views_link_shows_the_ready_unrestricted_documents_it_keeps_now_serves_only_those_and_counts_one_limit_across_them()
    {
        using var editor = _scenario.EditorA;
        using var stranger = _scenario.Anonymous;
        var (tag, otherTag) = ($"v-{Guid.NewGuid():N}"[..12], $"w-{Guid.NewGuid():N}"[..12]);
        var first = await CleanDocumentAsync(editor, Encoding.UTF8.GetBytes("Lease one."), tag);
        var second = await CleanDocumentAsync(editor, Encoding.UTF8.GetBytes("Lease two."), tag);
        var restricted = await CleanDocumentAsync(editor, Encoding.UTF8.GetBytes("Lease three, private."), tag);
        var elsewhere = await CleanDocumentAsync(editor, Encoding.UTF8.GetBytes("Not a lease."), otherTag);
        var unscanned = (await ApiScenario.CreateDocumentAsync(editor, [1, 2, 3], "pending.txt", "text/plain")).GetProperty("document").GetProperty("id").GetGuid();
        await TagAsync(unscanned, tag);
        var ofTenantB = await CleanDocumentAsync(_scenario.EditorB, Encoding.UTF8.GetBytes("Tenant B's lease."), tag);
        var legal = await ReadAsync<GroupResponse>(await _scenario.AdminA.PostAsJsonAsync("/api/v1/groups", new GroupRequest($"Legal {tag}"), Cancel), HttpStatusCode.Created);
        (await _scenario.AdminA.PutAsJsonAsync($"/api/v1/documents/{restricted}/permissions",
            new PermissionsRequest(Grants: [new GrantItem(null, legal.Id, GrantAccess.View)]), Cancel)).EnsureSuccessStatusCode();

        var view = await ReadAsync<SavedViewResponse>(await editor.PostAsJsonAsync("/api/v1/saved-views",
            new SavedViewRequest($"Leases {tag}", Filters: new SavedViewFilters(Tag: tag)), Cancel), HttpStatusCode.Created);
        var link = await ReadAsync<ShareLinkResponse>(await editor.PostAsJsonAsync($"/api/v1/saved-views/{view.Id}/share-links",
            new ShareLinkRequest(DateTimeOffset.UtcNow.AddDays(1), MaxDownloads: 2), Cancel), HttpStatusCode.Created);
        Assert.Equal((view.Id, (Guid?)null), (link.ViewId, link.DocumentId));
        var token = link.Token!;

        var shown = await ReadAsync<SharedResponse>(await Shared(stranger, token, "", null));
        Assert.Null(shown.Document);
        Assert.Equal($"Leases {tag}", shown.View!.Name);
        Assert.Equal(new[] { first, second }.Order(), shown.View.Documents.Select(d => d.Id!.Value).Order());
        var one = await ReadAsync<SharedResponse>(await Shared(stranger, token, $"documents/{first}", null));
        Assert.Equal(("lease.txt", first), (one.Document!.FileName, one.Document.Id));

        // What the view does not show now is not there for the link: restricted, not ready, not kept, another tenant's.
        foreach (var hidden in new[] { restricted, unscanned, elsewhere, ofTenantB })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await Shared(stranger, token, $"documents/{hidden}", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await Shared(stranger, token, $"documents/{hidden}/content", null)).StatusCode);
        }

        Assert.Equal("invalid-document", await ProblemAsync(await Shared(stranger, token, "content", null), HttpStatusCode.BadRequest));

        // Two downloads across the view: one of each document, then none.
        Assert.Equal("Lease one.", await (await Shared(stranger, token, $"documents/{first}/content", null)).Content.ReadAsStringAsync(Cancel));
        Assert.Equal("Lease two.", await (await Shared(stranger, token, $"documents/{second}/content", null)).Content.ReadAsStringAsync(Cancel));
        Assert.Equal("share-link-spent", await ProblemAsync(await Shared(stranger, token, $"documents/{first}/content", null), HttpStatusCode.Gone));

        // The link follows its view: changed, it shows what the view keeps now; removed, it is gone.
        var widened = await CreateViewLinkAsync(editor, view.Id);
        (await editor.PatchAsJsonAsync($"/api/v1/saved-views/{view.Id}", new SavedViewRequest(null, Filters: new SavedViewFilters(Tag: otherTag)), Cancel)).EnsureSuccessStatusCode();
        Assert.Equal(new[] { elsewhere }, (await ReadAsync<SharedResponse>(await Shared(stranger, widened, "", null))).View!.Documents.Select(d => d.Id!.Value));
        Assert.Equal(HttpStatusCode.NoContent, (await editor.DeleteAsync($"/api/v1/saved-views/{view.Id}", Cancel)).StatusCode);
        Assert.Equal("share-link-spent", await ProblemAsync(await Shared(stranger, widened, "", null), HttpStatusCode.Gone));

        // Each use is in its document's history, by the link; its creation in the tenant's trail, naming the view.
        AuditPageResponse? history = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(200, Cancel))
        {
            history = await editor.GetFromJsonAsync<AuditPageResponse>($"/api/v1/documents/{first}/history", DmsJson, Cancel);
            if (history!.Events.Count(e => e.ActorKind == "share_link") >= 2)
            {
                break;
            }
        }

        Assert.Single(history!.Events, e => e.ActorKind == "share_link" && e.Action == AuditActions.Downloaded && e.ActorId == link.Id.ToString());
        Assert.Single(history.Events, e => e.ActorKind == "share_link" && e.Action == AuditActions.ShareOpened && e.ActorId == link.Id.ToString());
        Assert.Equal(1L, await Sql.ScalarAsync(_scenario.OwnerConnection,
            $"SELECT count(*) FROM audit_events WHERE action = '{AuditActions.ShareCreated}' AND document_id IS NULL AND details->>'viewId' = '{view.Id}' AND details->>'linkId' = '{link.Id}'"));
    }

    [Fact]
    public async Task Only_who_may_change_a_view_shares_it_one_that_searches_words_is_refused_and_another_tenant_sees_none_of_it()
    {
        var request = new ShareLinkRequest(DateTimeOffset.UtcNow.AddDays(1));
        var editors = await ReadAsync<SavedViewResponse>(await _scenario.EditorA.PostAsJsonAsync("/api/v1/saved-views",
            new SavedViewRequest($"Mine {Guid.NewGuid():N}", Filters: new SavedViewFilters(Tag: "q3")), Cancel), HttpStatusCode.Created);
        var tenants = await ReadAsync<SavedViewResponse>(await _scenario.AdminA.PostAsJsonAsync("/api/v1/saved-views",
            new SavedViewRequest($"Everyone's {Guid.NewGuid():N}", Shared: true, Filters: new SavedViewFilters(Tag: "q3")), Cancel), HttpStatusCode.Created);
        var viewers = await ReadAsync<SavedViewResponse>(await _scenario.ViewerA.PostAsJsonAsync("/api/v1/saved-views",
            new SavedViewRequest($"Viewer's {Guid.NewGuid():N}"), Cancel), HttpStatusCode.Created);
        var searching = await ReadAsync<SavedViewResponse>(await _scenario.EditorA.PostAsJsonAsync("/api/v1/saved-views",
            new SavedViewRequest($"Words {Guid.NewGuid():N}", Filters: new SavedViewFilters(Query: "lease")), Cancel), HttpStatusCode.Created);

        Assert.Equal("not-yours", await ProblemAsync(await _scenario.EditorA.PostAsJsonAsync($"/api/v1/saved-views/{tenants.Id}/share-links", request, Cancel), HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.Forbidden, (await _scenario.ViewerA.PostAsJsonAsync($"/api/v1/saved-views/{viewers.Id}/share-links", request, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _scenario.AdminA.PostAsJsonAsync($"/api/v1/saved-views/{editors.Id}/share-links", request, Cancel)).StatusCode);
        Assert.Equal("invalid-view", await ProblemAsync(await _scenario.EditorA.PostAsJsonAsync($"/api/v1/saved-views/{searching.Id}/share-links", request, Cancel), HttpStatusCode.BadRequest));
        var shared = await CreateViewLinkAsync(_scenario.AdminA, tenants.Id);
        Assert.NotEmpty((await _scenario.EditorA.GetFromJsonAsync<List<ShareLinkResponse>>($"/api/v1/saved-views/{tenants.Id}/share-links", DmsJson, Cancel))!);
        var mine = await ReadAsync<ShareLinkResponse>(await _scenario.EditorA.PostAsJsonAsync($"/api/v1/saved-views/{editors.Id}/share-links", request, Cancel), HttpStatusCode.Created);

        foreach (var (viewId, linkId) in new[] { (editors.Id, mine.Id), (tenants.Id, mine.Id) })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _scenario.EditorB.GetAsync($"/api/v1/saved-views/{viewId}/share-links", Cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await _scenario.EditorB.PostAsJsonAsync($"/api/v1/saved-views/{viewId}/share-links", request, Cancel)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await _scenario.EditorB.PostAsync($"/api/v1/saved-views/{viewId}/share-links/{linkId}/revoke", null, Cancel)).StatusCode);
        }

        // A view's link is not revoked through another view, nor through a document.
        Assert.Equal(HttpStatusCode.NotFound, (await _scenario.AdminA.PostAsync($"/api/v1/saved-views/{tenants.Id}/share-links/{mine.Id}/revoke", null, Cancel)).StatusCode);
        var revoked = await ReadAsync<ShareLinkResponse>(await _scenario.EditorA.PostAsync($"/api/v1/saved-views/{editors.Id}/share-links/{mine.Id}/revoke", null, Cancel));
        Assert.Equal(ShareLinks.Revoked, revoked.Status);
        Assert.Equal(HttpStatusCode.OK, (await Shared(_scenario.Anonymous, shared, "", null)).StatusCode);
    }

    private static async Task<string> CreateViewLinkAsync(HttpClient client, Guid viewId) =>
        (await ReadAsync<ShareLinkResponse>(await client.PostAsJsonAsync($"/api/v1/saved-views/{viewId}/share-links",
            new ShareLinkRequest(DateTimeOffset.UtcNow.AddDays(1)), Cancel), HttpStatusCode.Created)).Token!;

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

    /// <summary>A document whose one version was uploaded and passed the scan; tagged only <paramref name="tag"/> when one is given.</summary>
    private async Task<Guid> CleanDocumentAsync(HttpClient client, byte[] bytes, string? tag = null)
    {
        var created = await ApiScenario.CreateDocumentAsync(client, bytes, "lease.txt", "text/plain");
        await _scenario.UploadAndCompleteAsync(client, created, bytes);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        await Sql.ScalarAsync(_scenario.OwnerConnection, $"""
            SELECT set_config('app.cross_tenant', 'on', false);
            UPDATE document_versions SET scan_verdict = 'clean' WHERE document_id = '{id}';
            UPDATE documents SET status = 'ready' WHERE id = '{id}';
            """);
        if (tag is not null)
        {
            await TagAsync(id, tag);
        }

        return id;
    }

    private Task TagAsync(Guid document, string tag) => Sql.ScalarAsync(_scenario.OwnerConnection, $"""
        SELECT set_config('app.cross_tenant', 'on', false);
        UPDATE documents SET tags = ARRAY['{tag}'] WHERE id = '{document}';
        """);

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
