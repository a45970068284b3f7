using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.Contracts;
using Dms.Contracts.Http;
using Dms.Documents.Lifecycle;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dms.IntegrationTests.Holds;

/// <summary>
/// Legal holds as an admin places and lifts them: a held document refuses the trash, a purge, an operator's force
/// delete, a bulk trash and the retention sweep with a 409 naming the hold, and the database refuses what gets past
/// the API; lifted, the document can go again. Each document held and released is in the audit trail.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LegalHoldTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private ApiScenario _scenario = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_held_document_refuses_trash_purge_force_delete_bulk_trash_and_the_sweep_naming_the_hold_until_it_is_lifted()
    {
        var held = await CreateAsync("held.pdf");
        var trashedFirst = await CreateAsync("trashed-first.pdf");
        Assert.Equal(HttpStatusCode.OK, (await _scenario.EditorA.DeleteAsync($"/api/v1/documents/{trashedFirst}", Cancel)).StatusCode);

        var placed = await _scenario.AdminA.PostAsJsonAsync("/api/v1/holds",
            new HoldRequest("Smith v. Acme", "Litigation: keep everything about the lease.", [held, trashedFirst]), Cancel);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var hold = (await placed.Content.ReadFromJsonAsync<HoldResponse>(DmsJson, Cancel))!;
        Assert.Equal(2, hold.Documents);

        await AssertRefusedAsync(await _scenario.EditorA.DeleteAsync($"/api/v1/documents/{held}", Cancel));
        await AssertRefusedAsync(await _scenario.AdminA.DeleteAsync($"/api/v1/documents/{held}?permanent=true", Cancel));
        await AssertRefusedAsync(await _scenario.AdminA.DeleteAsync($"/api/v1/documents/{trashedFirst}?permanent=true", Cancel));
        await AssertRefusedAsync(await _scenario.Operator.DeleteAsync($"/api/v1/admin/documents/{held}?permanent=true", Cancel));
        var bulk = await (await _scenario.EditorA.PostAsJsonAsync("/api/v1/documents/bulk", new { action = "trash", ids = new[] { held } }, Cancel))
            .Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(409, bulk.GetProperty("items")[0].GetProperty("status").GetInt32());
        Assert.Contains("Smith v. Acme", bulk.GetProperty("items")[0].GetProperty("problem").GetString());

        // The trash's retention passed long ago: the sweep leaves the held document in the trash.
        var owner = Sql.CrossTenant(_scenario.OwnerConnection);
        await Sql.ScalarAsync(owner, $"UPDATE documents SET deleted_at = now() - interval '400 days' WHERE id = '{trashedFirst}'");
        await using (var scope = _scenario.Api.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DocumentSweeper>().SweepAsync(Cancel);
        }

        Assert.Equal(1L, await Sql.ScalarAsync(owner, $"SELECT count(*) FROM documents WHERE id = '{trashedFirst}'"));

        // What gets past the API (the database's owner, a route that forgot to ask) the database refuses itself.
        foreach (var statement in new[]
        {
            $"UPDATE documents SET status = 'deleted' WHERE id = '{held}'",
            $"DELETE FROM documents WHERE id = '{held}'",
            $"DELETE FROM document_versions WHERE document_id = '{held}'",
        })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync(owner, statement));
            Assert.Equal("DH001", refused.SqlState);
            Assert.Contains("Smith v. Acme", refused.MessageText);
        }

        Assert.Equal(HttpStatusCode.OK, (await _scenario.AdminA.PostAsync($"/api/v1/holds/{hold.Id}/lift", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _scenario.EditorA.DeleteAsync($"/api/v1/documents/{held}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _scenario.AdminA.DeleteAsync($"/api/v1/documents/{trashedFirst}?permanent=true", Cancel)).StatusCode);

        var history = await _scenario.AdminA.GetFromJsonAsync<AuditPageResponse>($"/api/v1/audit?document={held}&action=document", DmsJson, Cancel);
        Assert.Equal([AuditActions.Trashed, AuditActions.HoldLifted, AuditActions.HoldPlaced, AuditActions.DocumentCreated], history!.Events.Select(e => e.Action));
    }

    [Fact]
    public async Task A_hold_by_filter_takes_every_document_it_matches_and_another_tenant_can_neither_see_nor_use_it()
    {
        var tag = $"matter-{Guid.NewGuid():N}"[..16];
        var tagged = new[] { await CreateAsync("a.pdf", tag), await CreateAsync("b.pdf", tag) };
        var other = await CreateAsync("c.pdf");

        var placed = await _scenario.AdminA.PostAsJsonAsync("/api/v1/holds", new HoldRequest("Audit 2026", "Tax audit.", Filter: new HoldFilter(Tag: tag)), Cancel);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var hold = (await placed.Content.ReadFromJsonAsync<HoldResponse>(DmsJson, Cancel))!;
        var shown = await _scenario.AdminA.GetFromJsonAsync<HoldResponse>($"/api/v1/holds/{hold.Id}", DmsJson, Cancel);
        Assert.Equal(tagged.Order(), shown!.DocumentIds!.Order());
        Assert.Equal(["Audit 2026"], await _scenario.ViewerA.GetFromJsonAsync<List<string>>($"/api/v1/documents/{tagged[0]}/holds", Cancel));
        Assert.Empty((await _scenario.ViewerA.GetFromJsonAsync<List<string>>($"/api/v1/documents/{other}/holds", Cancel))!);

        var adminB = _scenario.Api.CreateClient(TestTokens.For(_scenario.TenantB, Roles.Admin));
        Assert.Equal(HttpStatusCode.NotFound, (await adminB.GetAsync($"/api/v1/holds/{hold.Id}", Cancel)).StatusCode);
        Assert.Empty((await adminB.GetFromJsonAsync<List<HoldResponse>>("/api/v1/holds", DmsJson, Cancel))!);
        Assert.Equal(HttpStatusCode.NotFound, (await adminB.PostAsync($"/api/v1/holds/{hold.Id}/lift", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await adminB.PostAsJsonAsync("/api/v1/holds", new HoldRequest("Theirs", "Reaching over.", [other]), Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _scenario.EditorB.GetAsync($"/api/v1/documents/{tagged[0]}/holds", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _scenario.EditorA.PostAsJsonAsync("/api/v1/holds", new HoldRequest("Mine", "Not an admin.", [other]), Cancel)).StatusCode);
    }

    [Fact]
    public async Task Storage_keeps_a_held_documents_bytes_until_the_lifted_hold_is_cleared_there_and_only_then_may_they_be_purged()
    {
        var held = await CreateAsync("kept.pdf");
        var owner = Sql.CrossTenant(_scenario.OwnerConnection);
        var placed = await (await _scenario.AdminA.PostAsJsonAsync("/api/v1/holds", new HoldRequest("Kept in storage", "Regulator's request.", [held]), Cancel))
            .Content.ReadFromJsonAsync<HoldResponse>(DmsJson, Cancel);
        // A version added under the hold is held in storage too.
        var second = await (await _scenario.EditorA.PostAsJsonAsync($"/api/v1/documents/{held}/versions", new
        {
            fileName = "kept-2.pdf", contentType = "application/pdf", sizeBytes = 1000, sha256 = ApiScenario.Sha256(Bytes2),
        }, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        await _scenario.UploadAndCompleteAsync(_scenario.EditorA, second, Bytes2);

        Assert.True((await MirrorAsync()).Held >= 2);
        Assert.Equal(2L, await StorageHeldAsync(held));
        await MirrorAsync();
        Assert.Equal(2L, await StorageHeldAsync(held));
        // Storage itself refuses, whoever asks: what a script with the store's credentials would meet.
        var blobs = _scenario.Api.Services.GetRequiredService<Dms.Storage.IBlobStore>();
        var prefix = Dms.Storage.BlobKeys.DocumentPrefix(_scenario.TenantA, held);
        var refused = await Assert.ThrowsAsync<IOException>(() => blobs.DeletePrefixAsync(prefix, Cancel));
        Assert.Contains("legal hold", refused.Message);

        // Lifted: until the next pass clears storage's hold, a purge waits, with a reason.
        Assert.Equal(HttpStatusCode.OK, (await _scenario.AdminA.PostAsync($"/api/v1/holds/{placed!.Id}/lift", null, Cancel)).StatusCode);
        var early = await _scenario.AdminA.DeleteAsync($"/api/v1/documents/{held}?permanent=true", Cancel);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.EndsWith("storage-hold-pending", (await early.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("type").GetString());

        Assert.True((await MirrorAsync()).Released >= 2);
        Assert.Equal(0L, await StorageHeldAsync(held));
        Assert.Equal(HttpStatusCode.NoContent, (await _scenario.AdminA.DeleteAsync($"/api/v1/documents/{held}?permanent=true", Cancel)).StatusCode);
        await using (var scope = _scenario.Api.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DocumentSweeper>().SweepAsync(Cancel);
        }

        Assert.Null(await blobs.GetAsync($"{prefix}v1/content", Cancel));
        Assert.Null(await blobs.GetAsync($"{prefix}v2/content", Cancel));
    }

    private static readonly byte[] Bytes2 = ApiScenario.RandomBytes(1000);

    private async Task<long> StorageHeldAsync(Guid document) =>
        (long)(await Sql.ScalarAsync(Sql.CrossTenant(_scenario.OwnerConnection), $"SELECT count(*) FROM document_versions WHERE document_id = '{document}' AND storage_held"))!;

    /// <summary>One pass of the sweep, over every tenant's documents (other tests' too); how many versions it held and released.</summary>
    private async Task<(int Held, int Released)> MirrorAsync()
    {
        await using var scope = _scenario.Api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Dms.Holds.StorageHolds>().MirrorAsync(Cancel);
    }

    private static readonly JsonSerializerOptions DmsJson = Contracts.Client.DmsApiClient.Json;

    private async Task<Guid> CreateAsync(string name, string? tag = null)
    {
        var bytes = ApiScenario.RandomBytes(1000);
        var created = await (await _scenario.EditorA.PostAsJsonAsync("/api/v1/documents", new
        {
            fileName = name, contentType = "application/pdf", sizeBytes = bytes.Length, sha256 = ApiScenario.Sha256(bytes), tags = tag is null ? null : new[] { tag },
        }, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        await _scenario.UploadAndCompleteAsync(_scenario.EditorA, created, bytes);
        return created.GetProperty("document").GetProperty("id").GetGuid();
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.EndsWith("document-on-hold", problem.GetProperty("type").GetString());
        Assert.Contains("Smith v. Acme", problem.GetProperty("detail").GetString());
    }
}
