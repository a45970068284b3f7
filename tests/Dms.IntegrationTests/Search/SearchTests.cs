using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Search;

/// <summary>Documents processed by a real worker, then searched through the API with PostgreSQL full-text search.</summary>
public sealed class SearchTests(SearchCorpus corpus) : IClassFixture<SearchCorpus>
{
    private readonly Dictionary<string, Guid> _ids = corpus.Ids;

    private HttpClient Editor => corpus.Scenario.EditorA;

    [Fact]
    public async Task A_word_from_the_body_finds_the_document_ocr_text_included_with_the_word_highlighted()
    {
        var pipelines = await SearchAsync("pipelines");
        var invoice = await SearchAsync("invoice");

        Assert.Equal([_ids["budget"]], Ids(pipelines));
        Assert.Contains("<mark>pipelines</mark>", Hits(pipelines)[0].GetProperty("snippets")[0].GetString());
        Assert.Equal([_ids["scan"]], Ids(invoice));
    }

    [Fact]
    public async Task A_phrase_needs_its_words_together_and_exclusion_and_accents_work()
    {
        Assert.Equal([_ids["report"]], Ids(await SearchAsync("\"quarterly revenue\"")));
        Assert.Equal([_ids["report"], _ids["scan"]], Ids(await SearchAsync("revenue")).Order());
        Assert.Equal([_ids["scan"]], Ids(await SearchAsync("revenue -flat")));
        var resume = await SearchAsync("resume");
        Assert.Equal([_ids["cv"]], Ids(resume));
        Assert.Contains("<mark>résumé</mark>", Hits(resume)[0].GetProperty("snippets")[0].GetString());
    }

    [Fact]
    public async Task The_word_being_typed_matches_as_a_prefix()
    {
        Assert.Equal([_ids["budget"]], Ids(await SearchAsync("spending pipel")));
        Assert.Equal([_ids["scan"]], Ids(await SearchAsync("invoi")));
        Assert.Empty(Ids(await SearchAsync("invoi ")));
    }

    [Fact]
    public async Task A_misspelt_title_still_finds_the_document()
    {
        Assert.Equal([_ids["budget"]], Ids(await SearchAsync("anual budgt overveiw")));
    }

    [Fact]
    public async Task Facets_count_the_matches_and_filters_narrow_them()
    {
        var revenue = await SearchAsync("revenue");
        var filtered = await SearchAsync("revenue&tag=q3");

        Assert.Equal(2, revenue.GetProperty("total").GetInt64());
        Assert.Equal(1, revenue.GetProperty("tagFacets").GetProperty("finance").GetInt64());
        Assert.Equal(1, revenue.GetProperty("tagFacets").GetProperty("mail").GetInt64());
        Assert.Equal(2, revenue.GetProperty("contentTypeFacets").GetProperty("application/pdf").GetInt64());
        Assert.Equal([_ids["report"]], Ids(filtered));
    }

    [Fact]
    public async Task What_describes_a_document_finds_it_its_fields_correspondent_and_notes_and_only_in_its_tenant()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var admin = new Dms.Contracts.Client.DmsApiClient(corpus.Scenario.AdminA);
        var editor = new Dms.Contracts.Client.DmsApiClient(Editor);
        var project = (await admin.SaveCustomFieldAsync(null, new("Project", "text", null), cancellation)).Take();
        var stage = (await admin.SaveCustomFieldAsync(null, new("Stage", "select", [new(null, "Platypus phase")]), cancellation)).Take();
        var client = (await editor.SaveCorrespondentAsync(null, new("Wombat Holdings"), cancellation)).Take();
        (await editor.EditDocumentAsync(_ids["budget"], new(null, null, CorrespondentId: client.Id, Fields: new Dictionary<Guid, JsonElement>
        {
            [project.Id] = JsonSerializer.SerializeToElement("Kookaburra"),
            [stage.Id] = JsonSerializer.SerializeToElement(stage.Options[0].Id),
        }), cancellation)).Take();
        (await editor.AddNoteAsync(_ids["budget"], new("Quokka sightings went up."), cancellation)).Take();

        foreach (var word in new[] { "kookaburra", "platypus", "wombat", "quokka" })
        {
            Assert.Equal([_ids["budget"]], Ids(await SearchAsync(word)));
            Assert.Empty(Ids(await SearchAsync(word, corpus.Scenario.EditorB)));
        }
    }

    [Fact]
    public async Task A_search_filters_and_counts_by_type_correspondent_and_choice_and_name_value_words_filter_by_fields()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var admin = new Dms.Contracts.Client.DmsApiClient(corpus.Scenario.AdminA);
        var editor = new Dms.Contracts.Client.DmsApiClient(Editor);
        var urgency = (await admin.SaveCustomFieldAsync(null, new("Urgency", "select", [new(null, "urgent"), new(null, "later")]), cancellation)).Take();
        var settled = (await admin.SaveCustomFieldAsync(null, new("Settled", "boolean", null), cancellation)).Take();
        var reference = (await admin.SaveCustomFieldAsync(null, new("Reference", "text", null), cancellation)).Take();
        (await admin.SaveCustomFieldAsync(null, new("Copies", "integer", null), cancellation)).Take();
        var ledger = (await admin.SaveDocumentTypeAsync(null, new("Ledger", null, []), cancellation)).Take();
        var zebra = (await editor.SaveCorrespondentAsync(null, new("Zebra Corp"), cancellation)).Take();
        var (urgent, later) = (urgency.Options[0].Id, urgency.Options[1].Id);
        (await editor.EditDocumentAsync(_ids["report"], new(null, null, ledger.Id, zebra.Id, Fields: new Dictionary<Guid, JsonElement>
        {
            [urgency.Id] = JsonSerializer.SerializeToElement(urgent),
            [settled.Id] = JsonSerializer.SerializeToElement(true),
            [reference.Id] = JsonSerializer.SerializeToElement("ZX-9 'quoted' \\ back"),
        }), cancellation)).Take();
        (await editor.EditDocumentAsync(_ids["scan"], new(null, null, ledger.Id, Fields: new Dictionary<Guid, JsonElement>
        {
            [urgency.Id] = JsonSerializer.SerializeToElement(later),
            [settled.Id] = JsonSerializer.SerializeToElement(false),
        }), cancellation)).Take();
        var (report, scan) = (_ids["report"], _ids["scan"]);

        // Facets: how many of the matches have each type, correspondent and option.
        var revenue = await SearchAsync("revenue");
        Assert.Equal(2, revenue.GetProperty("documentTypeFacets").GetProperty(ledger.Id.ToString()).GetInt64());
        Assert.Equal(1, revenue.GetProperty("correspondentFacets").GetProperty(zebra.Id.ToString()).GetInt64());
        Assert.Equal([(urgent.ToString(), 1L), (later.ToString(), 1L)],
            revenue.GetProperty("optionFacets").EnumerateObject().Select(o => ((string?)o.Name, o.Value.GetInt64())).OrderBy(o => o.Item1 == later.ToString()));
        // Filters by the same, as parameters and as NAME:VALUE words, with or without other words.
        Assert.Equal([scan], Ids(await SearchAsync($"revenue&documentType={ledger.Id}&field=urgency:eq:later")));
        Assert.Equal([report], Ids(await SearchAsync($"revenue&correspondent={zebra.Id}")));
        Assert.Equal([scan], Ids(await SearchAsync("revenue settled:no")));
        Assert.Equal([report], Ids(await SearchAsync("Settled:yes")));
        Assert.Equal([report, scan], Ids(await SearchAsync("type:ledger urgency:urgent,later")).Order());
        Assert.Equal([report], Ids(await SearchAsync("correspondent:\"Zebra Corp\" revenue")));
        Assert.Equal([report], Ids(await SearchAsync($"reference:\"zx-9 'QUOTED' \\ back\"")));
        Assert.Equal([scan], Ids(await SearchAsync("revenue&field=reference:missing")));
        // A name that is no field's stays a word: "10:30" is searched as it is.
        Assert.Empty(Ids(await SearchAsync("revenue 10:30")));

        foreach (var (query, problem) in new[]
        {
            ("settled:maybe", "Field 'Settled'"),
            ("type:Nothing", "There is no document type 'Nothing'"),
            ("revenue&field=copies:gt:1", "ranges (gt) are the document list's"),
            (string.Join('+', Enumerable.Range(0, 21).Select(i => $"w{i}:x")), "at most 20 NAME:VALUE words"),
        })
        {
            using var refused = await Editor.GetAsync($"/api/v1/search?q={query.Split('&')[0]}{(query.Contains('&') ? "&" + query.Split('&', 2)[1] : "")}", cancellation);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(problem, await refused.Content.ReadAsStringAsync(cancellation));
        }

        // Another tenant has none of these: not the type by name, nor anything under its id.
        using var otherTenant = await corpus.Scenario.EditorB.GetAsync("/api/v1/search?q=type:ledger", cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, otherTenant.StatusCode);
        var theirs = await SearchAsync($"revenue&documentType={ledger.Id}", corpus.Scenario.EditorB);
        Assert.Equal(0, theirs.GetProperty("total").GetInt64());
        Assert.Empty((await SearchAsync("revenue", corpus.Scenario.EditorB)).GetProperty("documentTypeFacets").EnumerateObject());
    }


    [Fact]
    public async Task Another_tenants_documents_never_appear_and_deleted_ones_leave_at_once()
    {
        // Both tenants have documents that match: each finds exactly its own.
        Assert.Equal([_ids["report"], _ids["scan"]], Ids(await SearchAsync("quarterly")).Order());
        Assert.Equal([_ids["other tenant"]], Ids(await SearchAsync("quarterly", corpus.Scenario.EditorB)));

        await Editor.DeleteAsync($"/api/v1/documents/{_ids["budget"]}", TestContext.Current.CancellationToken);
        var whileDeleted = await SearchAsync("pipelines");
        await Editor.PostAsync($"/api/v1/documents/{_ids["budget"]}/restore", null, TestContext.Current.CancellationToken);

        Assert.Empty(Ids(whileDeleted));
        Assert.Equal([_ids["budget"]], Ids(await SearchAsync("pipelines")));
    }

    [Fact]
    public async Task A_reindex_in_batches_rebuilds_a_lost_index_while_the_cursor_reports_progress()
    {
        var tenant = corpus.Scenario.TenantA;
        await Sql.ScalarAsync(corpus.Scenario.OwnerConnection, $"DELETE FROM search_entries WHERE tenant_id = '{tenant}'");
        Assert.Empty(Ids(await SearchAsync("pipelines")));

        var batches = new List<JsonElement>();
        string? cursor = null;
        do
        {
            using var response = await corpus.Scenario.Operator.PostAsync(
                $"/api/v1/admin/search/reindex?tenantId={tenant}&batchSize=3{(cursor is null ? "" : $"&cursor={cursor}")}", null, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            batches.Add(await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken));
            cursor = batches[^1].GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal([3, 1], batches.Select(b => b.GetProperty("processed").GetInt32()));
        Assert.Equal(4, batches.Sum(b => b.GetProperty("indexed").GetInt32()));
        Assert.Equal([1L, 0L], batches.Select(b => b.GetProperty("remaining").GetInt64()));
        Assert.Equal([_ids["budget"]], Ids(await SearchAsync("pipelines")));
        Assert.Equal([_ids["scan"]], Ids(await SearchAsync("invoice")));
    }

    [Fact]
    public async Task A_renamed_document_is_found_by_its_new_title_and_a_purged_one_is_gone_from_the_index()
    {
        var id = await corpus.UploadAsync(Editor, "memo", "Draft memo", "text/plain", ["misc"], Encoding.UTF8.GetBytes("Notes about the harbour"));
        using var renamed = await Editor.PatchAsJsonAsync($"/api/v1/documents/{id}", new { title = "Lighthouse memo" }, TestContext.Current.CancellationToken);
        var byNewTitle = await SearchAsync("lighthouse");
        var byOldTitle = await SearchAsync("draft");
        using var purged = await corpus.Scenario.AdminA.DeleteAsync($"/api/v1/documents/{id}?permanent=true", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal([id], Ids(byNewTitle));
        Assert.Empty(Ids(byOldTitle));
        Assert.True(purged.IsSuccessStatusCode, $"{purged.StatusCode}");
        Assert.Empty(Ids(await SearchAsync("harbour")));
        Assert.Equal(0L, await Sql.ScalarAsync(corpus.Scenario.OwnerConnection, $"SELECT count(*) FROM search_entries WHERE document_id = '{id}'"));
    }

    [Fact]
    public async Task Content_type_and_creation_time_filter_the_matches()
    {
        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        var past = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"));

        Assert.Equal([_ids["scan"]], Ids(await SearchAsync("quarterly&contentType=application/pdf&tag=mail")));
        Assert.Empty(Ids(await SearchAsync("revenue&contentType=text/plain")));
        Assert.Equal(2, Ids(await SearchAsync($"revenue&createdFrom={past}&createdTo={future}&status=ready")).Length);
        Assert.Empty(Ids(await SearchAsync($"revenue&createdFrom={future}")));
    }

    [Theory]
    [InlineData("status=failed", "urn:dms:problem:invalid-status")]
    [InlineData("createdFrom=2026-02-01T00:00:00Z&createdTo=2026-01-01T00:00:00Z", "urn:dms:problem:invalid-created-range")]
    [InlineData("limit=0", "urn:dms:problem:invalid-limit")]
    [InlineData("cursor=abc", "urn:dms:problem:invalid-cursor")]
    public async Task A_bad_filter_is_a_400_naming_it(string filter, string problem)
    {
        using var response = await Editor.GetAsync($"/api/v1/search?q=revenue&{filter}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_application_role_cannot_read_the_index_table_and_the_search_functions_never_cross_tenants()
    {
        var app = corpus.AppConnection;
        var direct = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Sql.ScalarAsync(app, "SELECT count(*) FROM search_entries"));
        var crossTenant = await Sql.ScalarAsync(
            $"{app};Options=-c app.cross_tenant=on", "SELECT count(*) FROM dms_search_matches(to_tsquery('english', 'quarterly'), NULL, NULL, NULL, NULL, 100)");

        Assert.Equal("42501", direct.SqlState);
        Assert.Equal(0L, crossTenant);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_empty_query_is_a_400_naming_q(string q)
    {
        using var response = await Editor.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("urn:dms:problem:invalid-q", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Any_user_string_is_answered_without_a_server_error()
    {
        string[] hostile =
        [
            "\"unbalanced", "back\\slash\\", "&|!:*()<->", "'; DROP TABLE documents; --", "résumé 日本語 🚀", "-", "or or or", "\"\"",
            new string('a', 10_000), string.Join(' ', Enumerable.Repeat("word", 2000)),
        ];
        foreach (var q in hostile)
        {
            using var response = await Editor.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}", TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{q[..Math.Min(q.Length, 40)]}: {(int)response.StatusCode}");
        }
    }

    private async Task<JsonElement> SearchAsync(string query, HttpClient? client = null) =>
        await (client ?? Editor).GetFromJsonAsync<JsonElement>($"/api/v1/search?q={query.Split('&')[0].Replace(" ", "+").Replace("\"", "%22")}{(query.Contains('&') ? "&" + query.Split('&', 2)[1] : "")}",
            TestContext.Current.CancellationToken);

    private static JsonElement[] Hits(JsonElement result) => [.. result.GetProperty("hits").EnumerateArray()];

    private static Guid[] Ids(JsonElement result) => [.. Hits(result).Select(h => h.GetProperty("documentId").GetGuid())];
}

/// <summary>A small corpus, processed once for all the search tests: two tenants, text, a PDF, a scan, accents.</summary>
public sealed class SearchCorpus : IAsyncLifetime
{
    private readonly TemporaryPostgres _postgres = new();
    private WorkerHost _worker = null!;

    public ApiScenario Scenario { get; private set; } = null!;

    public Dictionary<string, Guid> Ids { get; } = [];

    private HttpClient Editor => Scenario.EditorA;

    public async ValueTask InitializeAsync()
    {
        await _postgres.InitializeAsync();
        Scenario = await ApiScenario.StartAsync(_postgres);
        _worker = WorkerHost.Start(Scenario, AppConnection, scannerPort: null);
        await UploadAsync(Editor, "budget", "Annual Budget Overview", "text/plain", ["finance"], Encoding.UTF8.GetBytes("Spending on pipelines and storage for next year."));
        await UploadAsync(Editor, "report", "Quarterly report", "application/pdf", ["finance", "q3"], SampleDocuments.TextPdf("Quarterly revenue grew while costs stayed flat"));
        await UploadAsync(Editor, "scan", "Scanned letter", "application/pdf", ["mail"], await SampleDocuments.ScannedPdf("Invoice number 4711\nRevenue and quarterly figures"));
        await UploadAsync(Editor, "cv", "Application", "text/plain", ["hr"], Encoding.UTF8.GetBytes("My résumé lists twenty years of work."));
        await UploadAsync(Scenario.EditorB, "other tenant", "Quarterly report of tenant B", "text/plain", ["finance"], Encoding.UTF8.GetBytes("Quarterly revenue of another tenant"));
    }

    public async ValueTask DisposeAsync()
    {
        await _worker.DisposeAsync();
        await Scenario.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    public string AppConnection => _postgres.AppConnectionString(Scenario.OwnerConnection);

    public async Task<Guid> UploadAsync(HttpClient client, string name, string title, string contentType, string[] tags, byte[] bytes)
    {
        var response = await client.PostAsJsonAsync("/api/v1/documents", new
        {
            fileName = $"{name}.{(contentType == "application/pdf" ? "pdf" : "txt")}",
            contentType,
            sizeBytes = bytes.LongLength,
            title,
            tags,
        }, TestContext.Current.CancellationToken);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        await Scenario.UploadAndCompleteAsync(client, created, bytes);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        await PipelineDocuments.WaitForStatusAsync(client, id, ["ready"], TimeSpan.FromMinutes(1), () => _worker.Log);
        Ids[name] = id;
        return id;
    }
}
