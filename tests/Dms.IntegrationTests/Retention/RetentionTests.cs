using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.Audit;
using Dms.Contracts.Http;
using Dms.IntegrationTests.Fixtures;
using Dms.Retention;
using Dms.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Dms.IntegrationTests.Retention;

/// <summary>
/// Retention per document type, as the worker's sweep applies it: past their type's retention, documents are trashed
/// or flagged for review — counted from their date, or from when they were added — but never one under a legal hold,
/// one its admin kept after a review, or one of another type; each is in the trail as the retention's doing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RetentionTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private static readonly JsonSerializerOptions DmsJson = Contracts.Client.DmsApiClient.Json;

    private ApiScenario _scenario = null!;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Documents_past_their_types_retention_are_trashed_or_flagged_unless_held_or_kept()
    {
        using var admin = _scenario.AdminA;
        var invoices = await TypeAsync(admin, "Invoice", new RetentionItem(3650, "document_date", "trash"));
        var contracts = await TypeAsync(admin, "Contract", new RetentionItem(30, "added", "review"));
        var letters = await TypeAsync(admin, "Letter", null);

        var oldInvoice = await DocumentAsync(admin, invoices, documentDate: "2010-01-31");
        var newInvoice = await DocumentAsync(admin, invoices, documentDate: DateTime.UtcNow.AddYears(-1).ToString("yyyy-MM-dd"));
        var heldInvoice = await DocumentAsync(admin, invoices, documentDate: "2011-05-01");
        var oldContract = await DocumentAsync(admin, contracts, addedDaysAgo: 40);
        var keptContract = await DocumentAsync(admin, contracts, addedDaysAgo: 45);
        var youngContract = await DocumentAsync(admin, contracts, addedDaysAgo: 5);
        var oldLetter = await DocumentAsync(admin, letters, documentDate: "2001-01-01");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/holds", new HoldRequest("Audit 2011", "Tax audit.", [heldInvoice]), Cancel)).StatusCode);

        var first = await SweepAsync();
        Assert.Equal((1, 2), first);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/documents/{keptContract}/retention/keep", null, Cancel)).StatusCode);
        Assert.Equal((0, 0), await SweepAsync());

        Assert.Equal("deleted", (await GetAsync(admin, oldInvoice)).Status);
        Assert.Equal("ready", (await GetAsync(admin, newInvoice)).Status);
        Assert.Equal("ready", (await GetAsync(admin, heldInvoice)).Status);
        Assert.NotNull((await GetAsync(admin, oldContract)).RetentionDueAt);
        Assert.Null((await GetAsync(admin, keptContract)).RetentionDueAt);
        Assert.Null((await GetAsync(admin, youngContract)).RetentionDueAt);
        Assert.Equal("ready", (await GetAsync(admin, oldLetter)).Status);

        var due = await admin.GetFromJsonAsync<DocumentListResponse>("/api/v1/documents?retention=due", DmsJson, Cancel);
        Assert.Equal([oldContract], due!.Documents.Select(d => d.Id));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/v1/documents/{youngContract}/retention/keep", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _scenario.EditorA.PostAsync($"/api/v1/documents/{oldContract}/retention/keep", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _scenario.Api.CreateClient(TestTokens.For(_scenario.TenantB, Contracts.Roles.Admin))
            .PostAsync($"/api/v1/documents/{oldContract}/retention/keep", null, Cancel)).StatusCode);

        var trail = await admin.GetFromJsonAsync<AuditPageResponse>($"/api/v1/audit?document={oldInvoice}&action={AuditActions.Trashed}", DmsJson, Cancel);
        Assert.Equal(("system", "retention"), (trail!.Events.Single().ActorKind, trail.Events.Single().ActorId));
        var flagged = await admin.GetFromJsonAsync<AuditPageResponse>($"/api/v1/audit?document={oldContract}&action={AuditActions.RetentionDue}", DmsJson, Cancel);
        Assert.Single(flagged!.Events);
    }

    [Fact]
    public async Task A_types_retention_is_checked_shown_and_cleared()
    {
        using var admin = _scenario.AdminA;
        foreach (var bad in new[] { new RetentionItem(0, "added", "trash"), new RetentionItem(10, "birthday", "trash"), new RetentionItem(10, "added", "shred") })
        {
            using var refused = await admin.PostAsJsonAsync("/api/v1/document-types", new DocumentTypeRequest($"T{Guid.NewGuid():N}", null, null, bad), Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        var type = await TypeAsync(admin, "Payslip", new RetentionItem(2555, "document_date", "review"));
        var shown = (await admin.GetFromJsonAsync<List<DocumentTypeResponse>>("/api/v1/document-types", DmsJson, Cancel))!.Single(t => t.Id == type);
        Assert.Equal(new RetentionItem(2555, "document_date", "review"), shown.Retention);
        using var cleared = await admin.PatchAsJsonAsync($"/api/v1/document-types/{type}", new DocumentTypeRequest(null, null, null, ClearRetention: true), Cancel);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Null((await cleared.Content.ReadFromJsonAsync<DocumentTypeResponse>(DmsJson, Cancel))!.Retention);
    }

    private async Task<(int Trashed, int Flagged)> SweepAsync() =>
        await _scenario.Api.Services.GetRequiredService<RetentionSweeper>().SweepAsync(Cancel);

    private static async Task<Guid> TypeAsync(HttpClient admin, string name, RetentionItem? retention)
    {
        using var created = await admin.PostAsJsonAsync("/api/v1/document-types", new DocumentTypeRequest($"{name} {Guid.NewGuid():N}", null, null, retention), Cancel);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync(Cancel));
        return (await created.Content.ReadFromJsonAsync<DocumentTypeResponse>(DmsJson, Cancel))!.Id;
    }

    /// <summary>A ready document of the type, dated, or added that many days ago.</summary>
    private async Task<Guid> DocumentAsync(HttpClient client, Guid type, string? documentDate = null, int addedDaysAgo = 0)
    {
        var created = await ApiScenario.CreateDocumentAsync(client, ApiScenario.RandomBytes(10), "kept.txt", "text/plain");
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        await Sql.ScalarAsync(_scenario.OwnerConnection, $"""
            UPDATE documents SET status = 'ready', document_type_id = '{type}', created_at = now() - interval '{addedDaysAgo} days',
                document_date = {(documentDate is null ? "NULL" : $"'{documentDate}'")} WHERE id = '{id}';
            """);
        return id;
    }

    private static async Task<DocumentResponse> GetAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<DocumentResponse>($"/api/v1/documents/{id}", DmsJson, Cancel))!;
}
