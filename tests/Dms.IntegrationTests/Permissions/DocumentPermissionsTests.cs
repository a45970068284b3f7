using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.Contracts;
using Dms.Contracts.Http;
using Dms.IntegrationTests.Fixtures;
using Dms.IntegrationTests.Identity;
using Dms.TestSupport;
using Npgsql;

namespace Dms.IntegrationTests.Permissions;

/// <summary>
/// A document restricted to a group: users outside it find it nowhere — not in the list, search, facets, its text,
/// versions or download, nor by its address — and the database itself hides its rows from their transactions; a
/// member with a view grant reads it and cannot change it, an edit grant changes it, the owner and the admins see it.
/// Users are real users of Dms's own identity provider (groups take only the tenant's users).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DocumentPermissionsTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ProviderScenario _provider = null!;
    private ApiScenario _api = null!;

    private static readonly JsonSerializerOptions DmsJson = Contracts.Client.DmsApiClient.Json;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _provider = await ProviderScenario.StartAsync(postgres);
        _api = await ApiScenario.StartAsync(postgres, settings: _provider.ApiSettings);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task A_document_restricted_to_a_group_is_seen_only_by_its_members_its_owner_and_the_admins_everywhere()
    {
        using var admin = _api.AdminA;
        using var owner = _api.EditorA;
        var (member, memberId) = await UserAsync(admin, Roles.Editor);
        var (outsider, outsiderId) = await UserAsync(admin, Roles.Editor);
        var (editor, editorId) = await UserAsync(admin, Roles.Editor);

        var secret = await ReadyDocumentAsync(owner, "merger-contract.txt", "confidential merger terms");
        var open = await ReadyDocumentAsync(owner, "canteen-menu.txt", "confidential soup recipes");

        var legal = await ReadAsync<GroupResponse>(await admin.PostAsJsonAsync("/api/v1/groups", new GroupRequest("Legal"), Cancel), HttpStatusCode.Created);
        var joined = await ReadAsync<GroupResponse>(await admin.PostAsJsonAsync($"/api/v1/groups/{legal.Id}/members", new GroupMemberRequest(memberId), Cancel));
        Assert.Equal([memberId], joined.Members.Select(m => m.UserId));
        Assert.NotNull(joined.Members[0].Name);

        // The owner restricts it: the group may read it, one editor may change it.
        var set = await ReadAsync<PermissionsResponse>(await owner.PutAsJsonAsync($"/api/v1/documents/{secret}/permissions",
            new PermissionsRequest(Grants: [new GrantItem(null, legal.Id, GrantAccess.View), new GrantItem(editorId, null, GrantAccess.Edit)]), Cancel));
        Assert.True(set.Restricted);
        Assert.Equal(["Legal", editorId], set.Grants.Select(g => g.GroupId is null ? g.UserId : g.Name));

        // Outside the grants: nowhere, by no route.
        Assert.DoesNotContain(secret, await ListedAsync(outsider));
        Assert.Contains(open, await ListedAsync(outsider));
        var searched = await SearchAsync(outsider, "confidential");
        Assert.Equal([open], searched.Hits.Select(h => h.DocumentId));
        Assert.Equal(1, searched.Total);
        Assert.Equal(1, searched.TagFacets["deal"]);
        foreach (var route in new[] { "", "/text", "/versions", "/content", "/thumbnail", "/pages/1", "/processing", "/permissions", "/history", "/holds", "/notes" })
        {
            using var answer = await outsider.GetAsync($"/api/v1/documents/{secret}{route}", Cancel);
            Assert.True(answer.StatusCode == HttpStatusCode.NotFound, $"{route}: {answer.StatusCode}");
        }

        using (var edited = await outsider.PatchAsJsonAsync($"/api/v1/documents/{secret}", new { title = "mine now" }, Cancel))
        {
            Assert.Equal(HttpStatusCode.NotFound, edited.StatusCode);
        }

        // A member of the group reads it everywhere, and may not change it.
        Assert.Contains(secret, await ListedAsync(member));
        Assert.Equal(2, (await SearchAsync(member, "confidential")).Total);
        Assert.Equal(2, (await SearchAsync(member, "confidential")).TagFacets["deal"]);
        var seen = await ReadAsync<DocumentResponse>(await member.GetAsync($"/api/v1/documents/{secret}", Cancel));
        Assert.True(seen.Restricted);
        Assert.DoesNotContain(DocumentActions.Edit, seen.Actions);
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/api/v1/documents/{secret}/text", Cancel)).StatusCode);
        using (var readOnly = await member.PatchAsJsonAsync($"/api/v1/documents/{secret}", new { title = "changed" }, Cancel))
        {
            Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
            Assert.Contains("document-read-only", await readOnly.Content.ReadAsStringAsync(Cancel));
        }

        using (var version = await member.PostAsJsonAsync($"/api/v1/documents/{secret}/versions",
                   new { fileName = "v2.txt", contentType = "text/plain", sizeBytes = 10 }, Cancel))
        {
            Assert.Equal(HttpStatusCode.Forbidden, version.StatusCode);
        }

        // The edit grant changes it; the outsider editor could not, the owner and the admin can.
        var byEditor = await ReadAsync<DocumentResponse>(await editor.GetAsync($"/api/v1/documents/{secret}", Cancel));
        Assert.Contains(DocumentActions.Edit, byEditor.Actions);
        Assert.DoesNotContain(DocumentActions.Permissions, byEditor.Actions);
        Assert.Equal(HttpStatusCode.OK, (await editor.PatchAsJsonAsync($"/api/v1/documents/{secret}", new { title = "Merger contract" }, Cancel)).StatusCode);
        using (var notOwner = await editor.PutAsJsonAsync($"/api/v1/documents/{secret}/permissions", new PermissionsRequest(), Cancel))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notOwner.StatusCode);
        }

        Assert.Contains(DocumentActions.Permissions, (await ReadAsync<DocumentResponse>(await owner.GetAsync($"/api/v1/documents/{secret}", Cancel))).Actions);
        using (var givenAway = await owner.PutAsJsonAsync($"/api/v1/documents/{secret}/permissions",
                   new PermissionsRequest(OwnerGroupId: legal.Id, Grants: [new GrantItem(null, legal.Id, GrantAccess.View)]), Cancel))
        {
            // The owner is not in the group: the database would hide the document from them, and refuses.
            Assert.Equal(HttpStatusCode.Forbidden, givenAway.StatusCode);
            Assert.Contains("document-access-lost", await givenAway.Content.ReadAsStringAsync(Cancel));
        }

        Assert.Contains(secret, await ListedAsync(admin));

        // The database hides the rows itself: a transaction of the app's role naming the outsider sees none of them.
        var appRole = postgres.AppConnectionString(_api.OwnerConnection);
        Assert.Equal("0 0 0", await CountsAsync(appRole, outsiderId, secret));
        Assert.Equal("1 1 1", await CountsAsync(appRole, memberId, secret));
        Assert.Equal("1 1 1", await CountsAsync(appRole, DatabaseNames.EveryDocument, secret));
        Assert.Equal("0 0 0", await CountsAsync(appRole, "", secret));

        // Every change of permissions is in the trail, with the grants before and after.
        var trail = await admin.GetFromJsonAsync<AuditPageResponse>($"/api/v1/audit?document={secret}&action={AuditActions.PermissionsChanged}", DmsJson, Cancel);
        var changed = Assert.Single(trail!.Events);
        Assert.Contains(legal.Id.ToString(), changed.Details!.Value.GetRawText());

        // Without grants, the whole tenant sees it again.
        await ReadAsync<PermissionsResponse>(await admin.PutAsJsonAsync($"/api/v1/documents/{secret}/permissions", new PermissionsRequest(), Cancel));
        Assert.Contains(secret, await ListedAsync(outsider));
        Assert.Equal(2, (await SearchAsync(outsider, "confidential")).Total);
    }

    [Fact]
    public async Task Groups_are_their_tenants_own_and_only_admins_change_them()
    {
        using var admin = _api.AdminA;
        using var adminB = _api.Api.CreateClient(TestTokens.For(_api.TenantB, Roles.Admin));
        var legal = await ReadAsync<GroupResponse>(await admin.PostAsJsonAsync("/api/v1/groups", new GroupRequest("Legal"), Cancel), HttpStatusCode.Created);
        var document = await ReadyDocumentAsync(_api.EditorA, "a.txt", "words");
        var (_, memberId) = await UserAsync(admin, Roles.Viewer);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/groups/{legal.Id}/members", new GroupMemberRequest(memberId), Cancel)).StatusCode);
        // Who is in a group is the admins' to see, as the tenant's users list is: others see the groups' names only.
        Assert.Equal([memberId], (await admin.GetFromJsonAsync<List<GroupResponse>>("/api/v1/groups", DmsJson, Cancel))!.Single(g => g.Id == legal.Id).Members.Select(m => m.UserId));
        Assert.Empty((await _api.ViewerA.GetFromJsonAsync<List<GroupResponse>>("/api/v1/groups", DmsJson, Cancel))!.Single(g => g.Id == legal.Id).Members);

        using (var duplicate = await admin.PostAsJsonAsync("/api/v1/groups", new GroupRequest(" Legal "), Cancel))
        {
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        }

        using (var byEditor = await _api.EditorA.PostAsJsonAsync("/api/v1/groups", new GroupRequest("Mine"), Cancel))
        {
            Assert.Equal(HttpStatusCode.Forbidden, byEditor.StatusCode);
        }

        Assert.Empty((await adminB.GetFromJsonAsync<List<GroupResponse>>("/api/v1/groups", DmsJson, Cancel))!);
        using (var foreignMember = await adminB.PostAsJsonAsync($"/api/v1/groups/{legal.Id}/members", new GroupMemberRequest(memberId), Cancel))
        {
            // The group is tenant A's, and so is the user.
            Assert.Equal(HttpStatusCode.NotFound, foreignMember.StatusCode);
        }

        var groupB = await ReadAsync<GroupResponse>(await adminB.PostAsJsonAsync("/api/v1/groups", new GroupRequest("Legal"), Cancel), HttpStatusCode.Created);
        using (var foreignUser = await adminB.PostAsJsonAsync($"/api/v1/groups/{groupB.Id}/members", new GroupMemberRequest(memberId), Cancel))
        {
            Assert.Equal(HttpStatusCode.BadRequest, foreignUser.StatusCode);
        }

        var documentB = await ReadyDocumentAsync(_api.EditorB, "b.txt", "words");
        using (var foreignGroup = await adminB.PutAsJsonAsync($"/api/v1/documents/{documentB}/permissions",
                   new PermissionsRequest(Grants: [new GrantItem(null, legal.Id, GrantAccess.View)]), Cancel))
        {
            Assert.Equal(HttpStatusCode.BadRequest, foreignGroup.StatusCode);
        }

        using (var foreignDocument = await adminB.GetAsync($"/api/v1/documents/{document}/permissions", Cancel))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreignDocument.StatusCode);
        }

        using (var bad = await admin.PutAsJsonAsync($"/api/v1/documents/{document}/permissions",
                   new PermissionsRequest(Grants: [new GrantItem(null, legal.Id, "own")]), Cancel))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        // Deleting the group that was a document's only grantee leaves it restricted: nobody sees more than before.
        await ReadAsync<PermissionsResponse>(await admin.PutAsJsonAsync($"/api/v1/documents/{document}/permissions",
            new PermissionsRequest(OwnerGroupId: legal.Id, Grants: [new GrantItem(null, legal.Id, GrantAccess.View)]), Cancel));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/groups/{legal.Id}", Cancel)).StatusCode);
        var after = await ReadAsync<PermissionsResponse>(await admin.GetAsync($"/api/v1/documents/{document}/permissions", Cancel));
        Assert.True(after.Restricted);
        Assert.Null(after.OwnerGroupId);
        Assert.Empty(after.Grants);
        Assert.DoesNotContain(document, await ListedAsync(_api.ViewerA));
    }

    private async Task<(HttpClient Client, string Subject)> UserAsync(HttpClient admin, string role)
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        using var added = await admin.PostAsJsonAsync("/api/v1/tenant/users", new { email, role }, Cancel);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var users = (await admin.GetFromJsonAsync<List<UserResponse>>("/api/v1/tenant/users", DmsJson, Cancel))!;
        var subject = users.Single(u => u.Username == email).Subject;
        return (_api.Api.CreateClient(TestTokens.Mint(_api.TenantA, [role], subject: subject, email: email)), subject);
    }

    /// <summary>A document as if the pipeline had read it: ready, with its text, tagged "deal", in the search index.</summary>
    private async Task<Guid> ReadyDocumentAsync(HttpClient client, string fileName, string text)
    {
        var created = await ApiScenario.CreateDocumentAsync(client, ApiScenario.RandomBytes(10), fileName, "text/plain");
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        await Sql.ScalarAsync(_api.OwnerConnection, $"""
            SELECT set_config('app.cross_tenant', 'on', false);
            UPDATE documents SET status = 'ready', tags = ARRAY['deal'] WHERE id = '{id}';
            UPDATE document_versions SET scan_verdict = 'clean', completed_at = now() WHERE document_id = '{id}';
            INSERT INTO document_texts (tenant_id, document_id, version, text, pages, ocr_pages, extracted_at)
            SELECT tenant_id, id, 1, '{text}', 1, 0, now() FROM documents WHERE id = '{id}';
            SELECT dms_search_index(ARRAY['{id}'::uuid], 500000);
            """);
        return id;
    }

    private static async Task<List<Guid>> ListedAsync(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<DocumentListResponse>("/api/v1/documents?limit=100", DmsJson, Cancel))!.Documents.Select(d => d.Id)];

    private static async Task<SearchResponse> SearchAsync(HttpClient client, string q) =>
        (await client.GetFromJsonAsync<SearchResponse>($"/api/v1/search?q={q}", DmsJson, Cancel))!;

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using (response)
        {
            Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync(Cancel)}");
            return (await response.Content.ReadFromJsonAsync<T>(DmsJson, Cancel))!;
        }
    }

    /// <summary>How many rows of the document, its versions and its texts a transaction of the app's role sees as <paramref name="viewer"/>.</summary>
    private async Task<string> CountsAsync(string appRole, string viewer, Guid document)
    {
        await using var connection = new NpgsqlConnection(appRole);
        await connection.OpenAsync(Cancel);
        await using var transaction = await connection.BeginTransactionAsync(Cancel);
        await using (var settings = new NpgsqlCommand("SELECT set_config('app.tenant_id', $1, true), set_config('app.viewer', $2, true)", connection, transaction))
        {
            settings.Parameters.Add(new() { Value = _api.TenantA.ToString() });
            settings.Parameters.Add(new() { Value = viewer });
            await settings.ExecuteNonQueryAsync(Cancel);
        }

        var counts = new List<long>();
        foreach (var table in new[] { "documents WHERE id", "document_versions WHERE document_id", "document_texts WHERE document_id" })
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table} = $1", connection, transaction) { Parameters = { new() { Value = document } } };
            counts.Add((long)(await count.ExecuteScalarAsync(Cancel))!);
        }

        return string.Join(' ', counts);
    }
}
