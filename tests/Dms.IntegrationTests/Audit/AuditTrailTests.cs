using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.Audit;
using Dms.Contracts;
using Dms.Contracts.Http;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dms.IntegrationTests.Audit;

/// <summary>
/// The audit trail through the API as its users meet it: one event per thing done, with the right actor, document
/// and version; rows the application's role cannot change; a chain that names the row changed behind its back; and
/// one tenant's trail closed to another.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AuditTrailTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private const string EditorSubject = "editor-of-a";
    private const string EditorEmail = "editor@a.example";
    private ApiScenario _scenario = null!;
    private HttpClient _editor = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // Over loopback: the in-memory server gives requests no client address to record.
        _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres, overLoopback: true));
        _editor = _scenario.Api.CreateClient(TestTokens.Mint(_scenario.TenantA, [Roles.Editor], subject: EditorSubject, email: EditorEmail));
        _editor.DefaultRequestHeaders.UserAgent.ParseAdd("AuditTests/1.0");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Each_thing_done_to_a_document_is_one_event_naming_who_did_it_to_which_document_and_version()
    {
        var bytes = ApiScenario.RandomBytes(5_000);
        var created = await ApiScenario.CreateDocumentAsync(_editor, bytes);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        await _scenario.UploadAndCompleteAsync(_editor, created, bytes);
        await _scenario.PassScanAsync(id);

        Assert.Equal(HttpStatusCode.OK, (await _editor.GetAsync($"/api/v1/documents/{id}", Cancel)).StatusCode);
        Assert.Equal(bytes, await _editor.GetByteArrayAsync($"/api/v1/documents/{id}/content", Cancel));
        Assert.Equal(HttpStatusCode.Conflict, (await _editor.GetAsync($"/api/v1/documents/{id}/text", Cancel)).StatusCode);
        await _editor.GetAsync($"/api/v1/documents/{id}/pages/1", Cancel);
        Assert.Equal(HttpStatusCode.OK, (await _editor.PatchAsJsonAsync($"/api/v1/documents/{id}", new { title = "Contract 2026" }, Cancel)).StatusCode);
        var note = await (await _editor.PostAsJsonAsync($"/api/v1/documents/{id}/notes", new { text = "Signed by both" }, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(HttpStatusCode.NoContent, (await _editor.DeleteAsync($"/api/v1/documents/{id}/notes/{note.GetProperty("id").GetGuid()}", Cancel)).StatusCode);
        var v2 = ApiScenario.RandomBytes(3_000);
        var version = await _editor.PostAsJsonAsync($"/api/v1/documents/{id}/versions",
            new { fileName = "contract-v2.pdf", contentType = "application/pdf", sizeBytes = v2.Length, sha256 = ApiScenario.Sha256(v2) }, Cancel);
        await _scenario.UploadAndCompleteAsync(_editor, await version.Content.ReadFromJsonAsync<JsonElement>(Cancel), v2);
        await Sql.ScalarAsync(Sql.CrossTenant(_scenario.OwnerConnection), $"UPDATE documents SET status = 'ready' WHERE id = '{id}'");
        Assert.Equal(HttpStatusCode.OK, (await _scenario.AdminA.PostAsync($"/api/v1/documents/{id}/reprocess", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _editor.DeleteAsync($"/api/v1/documents/{id}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _editor.PostAsync($"/api/v1/documents/{id}/restore", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _scenario.AdminA.DeleteAsync($"/api/v1/documents/{id}?permanent=true", Cancel)).StatusCode);

        string[] expected =
        [
            AuditActions.DocumentCreated, AuditActions.DocumentViewed, AuditActions.Downloaded, AuditActions.TextRead, AuditActions.PageRead,
            AuditActions.Edited, AuditActions.NoteAdded, AuditActions.NoteDeleted, AuditActions.Versioned, AuditActions.Reprocessed,
            AuditActions.Trashed, AuditActions.Restored, AuditActions.Purged,
        ];
        var events = await EventsAsync(_scenario.AdminA, $"document={id}", expected.Length);
        Assert.Equal(expected.Order(), events.Select(e => e.Action).Order());
        Assert.All(events, e => Assert.Equal(id, e.DocumentId));

        var byEditor = events.Where(e => e.Action is not (AuditActions.Reprocessed or AuditActions.Purged)).ToList();
        Assert.All(byEditor, e => Assert.Equal((AuditActor.User, EditorSubject, EditorEmail, "AuditTests/1.0"), (e.ActorKind, e.ActorId, e.ActorName, e.UserAgent)));
        Assert.All(events, e => Assert.Equal("127.0.0.1", e.ClientAddress));
        Assert.All(events.Where(e => e.Action is AuditActions.Reprocessed or AuditActions.Purged), e => Assert.NotEqual(EditorSubject, e.ActorId));

        var edit = events.Single(e => e.Action == AuditActions.Edited);
        Assert.Equal("report.pdf", edit.Details!.Value.GetProperty("title").GetProperty("before").GetString());
        Assert.Equal("Contract 2026", edit.Details!.Value.GetProperty("title").GetProperty("after").GetString());
        var trashed = events.Single(e => e.Action == AuditActions.Trashed).Details!.Value.GetProperty("status");
        Assert.Equal(("queued", "deleted"), (trashed.GetProperty("before").GetString(), trashed.GetProperty("after").GetString()));
        Assert.Equal(1, events.Single(e => e.Action == AuditActions.Downloaded).Version);
        Assert.Equal(2, events.Single(e => e.Action == AuditActions.Versioned).Version);
        Assert.Equal(AuditOutcomes.Refused, events.Single(e => e.Action == AuditActions.TextRead).Outcome);
        Assert.Equal(1, events.Single(e => e.Action == AuditActions.PageRead).Details!.Value.GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task The_operators_changes_to_a_tenant_are_in_its_trail()
    {
        var changed = await _scenario.Operator.PatchAsJsonAsync($"/api/v1/admin/tenants/{_scenario.TenantA}", new { retentionDays = 12 }, Cancel);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var events = await EventsAsync(_scenario.Operator, "action=tenant", 2, _scenario.TenantA);
        Assert.Equal([AuditActions.TenantChanged, AuditActions.TenantCreated], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(AuditActor.Operator, e.ActorKind));
        Assert.Equal(12, events[0].Details!.Value.GetProperty("after").GetProperty("retentionDays").GetInt32());
    }

    [Fact]
    public async Task The_application_role_can_add_and_read_audit_rows_but_never_change_or_delete_them()
    {
        await ApiScenario.CreateDocumentAsync(_editor, ApiScenario.RandomBytes(100));
        await SealAsync();
        var app = new NpgsqlConnectionStringBuilder(postgres.AppConnectionString(_scenario.OwnerConnection)) { Options = "-c app.cross_tenant=on" }.ConnectionString;
        Assert.True((long)(await Sql.ScalarAsync(app, "SELECT count(*) FROM audit_events"))! > 0);
        Assert.True((long)(await Sql.ScalarAsync(app, "SELECT count(*) FROM audit_chain"))! > 0);

        foreach (var statement in new[]
        {
            "UPDATE audit_events SET actor_name = 'someone else'",
            "DELETE FROM audit_events",
            "TRUNCATE audit_events",
            "UPDATE audit_chain SET hash = previous_hash",
            "DELETE FROM audit_chain",
            $"SELECT dms_audit_prune('{_scenario.TenantA}', now())",
        })
        {
            if (statement.StartsWith("SELECT", StringComparison.Ordinal))
            {
                // The prune is allowed, but keeps every event younger than the database's floor.
                Assert.Equal(0L, await Sql.ScalarAsync(app, statement));
                continue;
            }

            var refused = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync(app, statement));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
    }

    [Fact]
    public async Task Verify_finds_the_row_the_database_owner_changed_and_the_one_deleted()
    {
        for (var i = 0; i < 3; i++)
        {
            await ApiScenario.CreateDocumentAsync(_editor, ApiScenario.RandomBytes(100));
        }

        await SealAsync();
        var intact = await VerifyAsync(_scenario.AdminA);
        Assert.True(intact.Intact, intact.Problem);
        Assert.Equal(4, intact.Links); // the tenant's creation and three documents
        Assert.Equal(0, intact.Unsealed);

        var owner = Sql.CrossTenant(_scenario.OwnerConnection);
        var target = (long)(await Sql.ScalarAsync(owner, $"SELECT id FROM audit_events WHERE tenant_id = '{_scenario.TenantA}' AND action = 'document.created' ORDER BY id OFFSET 1 LIMIT 1"))!;
        await Sql.ScalarAsync(owner, $"UPDATE audit_events SET actor_name = 'someone else' WHERE id = {target}");

        var changed = await VerifyAsync(_scenario.Operator, _scenario.TenantA);
        Assert.False(changed.Intact);
        Assert.Equal(target, changed.BrokenEventId);
        Assert.Contains("changed", changed.Problem);

        await Sql.ScalarAsync(owner, $"UPDATE audit_events SET actor_name = '{EditorEmail}' WHERE id = {target}");
        Assert.True((await VerifyAsync(_scenario.AdminA)).Intact);
        var last = (long)(await Sql.ScalarAsync(owner, $"SELECT max(event_id) FROM audit_chain WHERE tenant_id = '{_scenario.TenantA}'"))!;
        await Sql.ScalarAsync(owner, $"DELETE FROM audit_events WHERE id = {last}");
        var deleted = await VerifyAsync(_scenario.AdminA);
        Assert.False(deleted.Intact);
        Assert.Equal(last, deleted.BrokenEventId);
        Assert.Contains("deleted", deleted.Problem);
    }

    [Fact]
    public async Task A_tenant_whose_chain_head_was_deleted_by_hand_does_not_stop_the_other_tenants_chains()
    {
        await ApiScenario.CreateDocumentAsync(_scenario.EditorB, ApiScenario.RandomBytes(100));
        await SealAsync();
        var owner = Sql.CrossTenant(_scenario.OwnerConnection);
        await Sql.ScalarAsync(owner, $"DELETE FROM audit_events WHERE id = (SELECT event_id FROM audit_chain WHERE tenant_id = '{_scenario.TenantB}' ORDER BY position DESC LIMIT 1)");
        await ApiScenario.CreateDocumentAsync(_scenario.EditorB, ApiScenario.RandomBytes(100));

        var created = await ApiScenario.CreateDocumentAsync(_editor, ApiScenario.RandomBytes(100));
        await SealAsync();

        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        Assert.Equal(1L, await Sql.ScalarAsync(owner,
            $"SELECT count(*) FROM audit_chain c JOIN audit_events e ON e.id = c.event_id WHERE e.document_id = '{id}' AND e.action = '{AuditActions.DocumentCreated}'"));
        var b = await VerifyAsync(_scenario.Operator, _scenario.TenantB);
        Assert.False(b.Intact);
    }

    [Fact]
    public async Task An_event_whose_transaction_commits_late_is_sealed_after_it_never_skipped()
    {
        var owner = Sql.CrossTenant(_scenario.OwnerConnection);
        await using var late = new NpgsqlConnection(owner);
        await late.OpenAsync(Cancel);
        await using var transaction = await late.BeginTransactionAsync(Cancel);
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO audit_events (tenant_id, occurred_at, action, actor_kind, actor_id, actor_name, outcome) VALUES ('{_scenario.TenantA}', now(), 'document.viewed', 'user', 'late', 'late', 'succeeded')",
            late, transaction))
        {
            await insert.ExecuteNonQueryAsync(Cancel);
        }

        await ApiScenario.CreateDocumentAsync(_editor, ApiScenario.RandomBytes(100));
        await SealAsync();
        var whileOpen = await VerifyAsync(_scenario.AdminA);
        Assert.True(whileOpen.Intact, whileOpen.Problem);
        Assert.Equal(1, whileOpen.Links); // only the tenant's creation: the document's event waits behind the open transaction
        Assert.Equal(1, whileOpen.Unsealed);

        await transaction.CommitAsync(Cancel);
        await SealAsync();
        var after = await VerifyAsync(_scenario.AdminA);
        Assert.True(after.Intact, after.Problem);
        Assert.Equal(4, after.Links); // and the late event, and the first check's own event
        Assert.Equal(0, after.Unsealed);
    }

    [Fact]
    public async Task A_tenant_sees_only_its_own_trail_and_no_history_of_another_tenants_document()
    {
        var created = await ApiScenario.CreateDocumentAsync(_editor, ApiScenario.RandomBytes(100));
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        var adminB = _scenario.Api.CreateClient(TestTokens.For(_scenario.TenantB, Roles.Admin));

        var own = await EventsAsync(_scenario.AdminA, "", 2);
        Assert.Contains(own, e => e.DocumentId == id);
        var other = await adminB.GetFromJsonAsync<AuditPageResponse>($"/api/v1/audit?document={id}", DmsApiClientJson, Cancel);
        Assert.Empty(other!.Events);
        Assert.Equal(HttpStatusCode.NotFound, (await _scenario.EditorB.GetAsync($"/api/v1/documents/{id}/history", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _editor.GetAsync("/api/v1/audit", Cancel)).StatusCode);

        var history = await _scenario.ViewerA.GetFromJsonAsync<AuditPageResponse>($"/api/v1/documents/{id}/history", DmsApiClientJson, Cancel);
        Assert.Equal([AuditActions.DocumentCreated], history!.Events.Select(e => e.Action));
    }

    [Fact]
    public async Task The_export_gives_every_event_as_ndjson_and_as_csv_with_formulas_disarmed()
    {
        var created = await ApiScenario.CreateDocumentAsync(_editor, ApiScenario.RandomBytes(100));
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await _editor.PatchAsJsonAsync($"/api/v1/documents/{id}", new { title = "=HYPERLINK(\"http://evil.example\")" }, Cancel)).StatusCode);
        _editor.DefaultRequestHeaders.UserAgent.Clear();
        _editor.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "=cmd|' /C calc'!A0");
        await _editor.GetAsync($"/api/v1/documents/{id}", Cancel);
        var events = await EventsAsync(_scenario.AdminA, "", 4);

        var ndjson = (await _scenario.AdminA.GetStringAsync("/api/v1/audit?format=ndjson", Cancel)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(events.Select(e => e.Id), ndjson.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetInt64()));

        var csv = await _scenario.AdminA.GetAsync("/api/v1/audit?format=csv", Cancel);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(Cancel)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,occurredAt,action", lines[0]);
        Assert.Equal(events.Count + 1, lines.Length);
        Assert.DoesNotContain(lines, line => line.Contains(",=cmd", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("'=cmd", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, (await _scenario.AdminA.GetAsync("/api/v1/audit?format=xml", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _scenario.AdminA.GetAsync("/api/v1/audit?action=document.teleported", Cancel)).StatusCode);
    }

    [Fact]
    public async Task The_archive_gets_each_tenants_new_links_once_in_files_that_match_the_chain_and_are_never_rewritten()
    {
        var folder = Directory.CreateTempSubdirectory("dms-audit-archive-");
        try
        {
            await ApiScenario.CreateDocumentAsync(_editor, ApiScenario.RandomBytes(100));
            await SealAsync();

            var first = await ArchiveAsync(folder);
            var ofA = Assert.Single(first, f => f.TenantId == _scenario.TenantA);
            Assert.Contains(first, f => f.TenantId == _scenario.TenantB);
            Assert.Equal(1, ofA.FromPosition);
            var lines = await LinesAsync(folder, ofA);
            Assert.Equal(Enumerable.Range(1, (int)ofA.ToPosition).Select(p => (long)p), lines.Select(l => l.Position));
            // Each line is the chain's link as the database holds it, and only the tenant's own events.
            var owner = Sql.CrossTenant(_scenario.OwnerConnection);
            foreach (var line in lines)
            {
                Assert.Equal(line.Hash, await Sql.ScalarAsync(owner, $"SELECT encode(hash, 'hex') FROM audit_chain WHERE tenant_id = '{_scenario.TenantA}' AND position = {line.Position}"));
                Assert.Equal(line.Event.Id, await Sql.ScalarAsync(owner, $"SELECT event_id FROM audit_chain WHERE tenant_id = '{_scenario.TenantA}' AND position = {line.Position}"));
            }

            Assert.Contains(lines, l => l.Event.Action == AuditActions.DocumentCreated && l.Event.ActorName == EditorEmail);
            Assert.Equal(UnixFileMode.UserRead, new FileInfo(Path.Combine(folder.FullName, ofA.Key)).UnixFileMode);

            // Nothing new: no file. Something new: a file of the new links only.
            Assert.Empty(await ArchiveAsync(folder));
            await ApiScenario.CreateDocumentAsync(_editor, ApiScenario.RandomBytes(100));
            await SealAsync();
            var next = Assert.Single(await ArchiveAsync(folder));
            Assert.Equal((_scenario.TenantA, ofA.ToPosition + 1), (next.TenantId, next.FromPosition));
            Assert.All(await LinesAsync(folder, next), l => Assert.True(l.Position > ofA.ToPosition));

            // A file of the archive is never replaced.
            var archive = new Adapters.FileSystem.FolderAuditArchive(Microsoft.Extensions.Options.Options.Create(new AuditOptions { ArchiveFolder = folder.FullName }));
            await Assert.ThrowsAsync<IOException>(() => archive.WriteAsync(ofA.Key, new MemoryStream("forged"u8.ToArray()), Cancel));
            Assert.Equal(lines.Count, (await LinesAsync(folder, ofA)).Count);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private async Task<IReadOnlyList<AuditArchiveFile>> ArchiveAsync(DirectoryInfo folder)
    {
        await using var scope = _scenario.Api.Services.CreateAsyncScope();
        var archiver = new AuditArchiver(
            scope.ServiceProvider.GetRequiredService<Dms.Persistence.DmsDbContext>(),
            new Adapters.FileSystem.FolderAuditArchive(Microsoft.Extensions.Options.Options.Create(new AuditOptions { ArchiveFolder = folder.FullName })),
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AuditArchiver>.Instance);
        var (written, failed) = await archiver.ArchiveAsync(Cancel);
        Assert.Equal(0, failed);
        return written;
    }

    private static async Task<List<AuditArchiveLine>> LinesAsync(DirectoryInfo folder, AuditArchiveFile file) =>
        [.. (await File.ReadAllLinesAsync(Path.Combine(folder.FullName, file.Key), Cancel)).Select(line => JsonSerializer.Deserialize<AuditArchiveLine>(line, DmsApiClientJson)!)];

    private static readonly JsonSerializerOptions DmsApiClientJson = Contracts.Client.DmsApiClient.Json;

    /// <summary>The events the query names, once at least <paramref name="count"/> are there (reads are written within a second).</summary>
    private async Task<List<AuditEventResponse>> EventsAsync(HttpClient client, string query, int count, Guid? tenantId = null)
    {
        var path = tenantId is { } id ? $"/api/v1/admin/tenants/{id}/audit?{query}" : $"/api/v1/audit?{query}";
        for (var attempt = 0; ; attempt++)
        {
            var page = await client.GetFromJsonAsync<AuditPageResponse>(path, DmsApiClientJson, Cancel);
            if (page!.Events.Count >= count || attempt == 50)
            {
                return page.Events;
            }

            await Task.Delay(100, Cancel);
        }
    }

    private async Task SealAsync()
    {
        await Task.Delay(600, Cancel); // reads' events written
        await using var scope = _scenario.Api.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AuditChain>().SealAsync(0, Cancel);
    }

    private async Task<AuditVerificationResponse> VerifyAsync(HttpClient client, Guid? tenantId = null)
    {
        var response = await client.PostAsync(tenantId is { } id ? $"/api/v1/admin/tenants/{id}/audit/verify" : "/api/v1/audit/verify", null, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AuditVerificationResponse>(DmsApiClientJson, Cancel))!;
    }
}
