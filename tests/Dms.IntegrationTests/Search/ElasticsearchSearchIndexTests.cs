using System.Text;
using System.Text.Json.Nodes;
using Dms.Adapters.Elasticsearch;
using Dms.IntegrationTests.Fixtures;
using Dms.Migrations;
using Dms.Persistence;
using Dms.Fields;
using Dms.Search;
using Dms.TestSupport;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dms.IntegrationTests.Search;

/// <summary>
/// The Elasticsearch adapter against the official client's in-memory transport: what it sends (index definition,
/// routing, the tenant filter, query, highlights, facets, bulk actions) and how it reads canned answers. No
/// Elasticsearch server runs on these machines, so these tests cannot prove that a real cluster ranks, stems,
/// highlights or routes as intended: that is not integration-tested here.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ElasticsearchSearchIndexTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private const string SearchAnswer = """
        {"took":3,"timed_out":false,"hits":{"total":{"value":2,"relation":"eq"},"max_score":2.5,"hits":[
          {"_index":"dms-documents","_id":"0b7f3c52-0000-0000-0000-000000000001","_score":2.5,
           "_source":{"document_id":"0b7f3c52-0000-0000-0000-000000000001","title":"Budget","file_name":"budget.pdf","created_at":"2026-11-27T10:00:00Z"},
           "highlight":{"body":["the <mark>budget</mark> for pipelines","next year's <mark>budget</mark>"]}},
          {"_index":"dms-documents","_id":"0b7f3c52-0000-0000-0000-000000000002","_score":1.25,
           "_source":{"document_id":"0b7f3c52-0000-0000-0000-000000000002","title":"Notes","file_name":"notes.txt","created_at":"2026-11-26T09:30:00Z"}}]},
         "aggregations":{"tags":{"buckets":[{"key":"finance","doc_count":2},{"key":"q3","doc_count":1}]},
                         "content_types":{"buckets":[{"key":"application/pdf","doc_count":1},{"key":"text/plain","doc_count":1}]}}}
        """;

    private const string NoHits = """{"hits":{"total":{"value":0,"relation":"eq"},"hits":[]}}""";

    private readonly Guid _tenant = Guid.NewGuid();
    private readonly List<(string Method, string Path, string Body)> _requests = [];
    private string _owner = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async ValueTask InitializeAsync()
    {
        _owner = await ApiScenario.MigratedDatabaseAsync(postgres);
        _dataSource = NpgsqlDataSource.Create(postgres.AppConnectionString(_owner));
    }

    public async ValueTask DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task A_search_is_routed_to_and_filtered_by_the_tenant_and_reads_hits_highlights_and_facets()
    {
        var search = Service(SearchAnswer);

        var result = (await search.SearchAsync(_tenant, new SearchQuery(
            "budget or \"next year\" -draft pipel", Tag: "Finance", ContentType: "application/pdf",
            CreatedFrom: DateTimeOffset.Parse("2026-01-01T00:00:00+01:00"), Limit: 10, Cursor: "10"), TestContext.Current.CancellationToken)).Value!;

        var (method, path, body) = Assert.Single(_requests);
        var query = JsonNode.Parse(body)!;
        var filters = query["query"]!["bool"]!["filter"]!.AsArray().Select(f => f!.ToJsonString()).ToList();
        var words = query["query"]!["bool"]!["must"]![0]!["simple_query_string"]!;
        Assert.Equal("POST", method);
        Assert.Equal($"/dms-documents/_search?routing={_tenant}", path);
        Assert.Contains($$$"""{"term":{"tenant_id":"{{{_tenant}}}"}}""", filters);
        Assert.Contains("""{"term":{"tags":"finance"}}""", filters);
        Assert.Contains("""{"term":{"content_type":"application/pdf"}}""", filters);
        Assert.Contains("""{"range":{"created_at":{"gte":"2025-12-31T23:00:00.0000000Z"}}}""", filters);
        Assert.Equal("budget | \"next year\" -draft pipel*", words["query"]!.GetValue<string>());
        Assert.Equal("and", words["default_operator"]!.GetValue<string>());
        Assert.Equal(10, query["from"]!.GetValue<int>());
        Assert.Equal(10, query["size"]!.GetValue<int>());
        Assert.Equal("<mark>", query["highlight"]!["pre_tags"]![0]!.GetValue<string>());
        Assert.Equal("html", query["highlight"]!["encoder"]!.GetValue<string>());

        Assert.Equal(2, result.Total);
        Assert.Equal(["Budget", "Notes"], result.Hits.Select(h => h.Title));
        Assert.Equal(["the <mark>budget</mark> for pipelines", "next year's <mark>budget</mark>"], result.Hits[0].Snippets);
        Assert.Equal(2.5, result.Hits[0].Score);
        Assert.Equal(new Dictionary<string, long> { ["finance"] = 2, ["q3"] = 1 }, result.Tags);
        Assert.Equal(1, result.ContentTypes["text/plain"]);
    }

    [Fact]
    public async Task When_no_word_matches_titles_and_file_names_are_searched_forgiving_typos()
    {
        var search = Service(NoHits);

        var result = (await search.SearchAsync(_tenant, new SearchQuery("anual budgt"), TestContext.Current.CancellationToken)).Value!;

        Assert.Equal(2, _requests.Count);
        var fuzzy = JsonNode.Parse(_requests[1].Body)!["query"]!["bool"]!;
        Assert.Equal("AUTO", fuzzy["must"]![0]!["multi_match"]!["fuzziness"]!.GetValue<string>());
        Assert.Equal("""["title","file_name"]""", fuzzy["must"]![0]!["multi_match"]!["fields"]!.ToJsonString());
        Assert.Contains($$$"""{"term":{"tenant_id":"{{{_tenant}}}"}}""", fuzzy["filter"]!.AsArray().Select(f => f!.ToJsonString()));
        Assert.Equal(0, result.Total);
    }

    [Fact]
    public async Task Any_user_string_becomes_valid_json_and_never_breaks_the_request()
    {
        var search = Service(NoHits);
        string[] hostile = ["\"unbalanced", "back\\slash\\", "&|!:*()<->", "'; DROP TABLE documents; --", "{\"query\":1}", "résumé 日本語 🚀"];

        foreach (var q in hostile)
        {
            Assert.NotNull((await search.SearchAsync(_tenant, new SearchQuery(q), TestContext.Current.CancellationToken)).Value);
        }

        Assert.All(_requests, r => Assert.NotNull(JsonNode.Parse(r.Body)));
    }

    [Fact]
    public void The_index_requires_routing_and_folds_accents_and_stems_english()
    {
        var definition = ElasticsearchRequests.IndexDefinition();

        Assert.True(definition["mappings"]!["_routing"]!["required"]!.GetValue<bool>());
        Assert.Equal("strict", definition["mappings"]!["dynamic"]!.GetValue<string>());
        Assert.Equal("keyword", definition["mappings"]!["properties"]!["tenant_id"]!["type"]!.GetValue<string>());
        Assert.Equal("keyword", definition["mappings"]!["properties"]!["tags"]!["type"]!.GetValue<string>());
        Assert.Equal("dms_text", definition["mappings"]!["properties"]!["body"]!["analyzer"]!.GetValue<string>());
        Assert.Equal("""["lowercase","asciifolding","dms_english_stemmer"]""",
            definition["settings"]!["analysis"]!["analyzer"]!["dms_text"]!["filter"]!.ToJsonString());
    }

    [Fact]
    public async Task A_reindex_puts_ready_documents_with_their_capped_text_and_routing_and_deletes_the_rest()
    {
        var ready = Guid.NewGuid();
        var trashed = Guid.NewGuid();
        await SeedAsync(ready, "ready", "Quarterly report", "Revenue grew. " + new string('x', 5000));
        await SeedAsync(trashed, "deleted", "Old draft", "Gone");
        await using var db = Context();
        var index = new ElasticsearchSearchIndex(Client("""{"errors":false,"items":[]}"""), db, Settings(maxIndexedCharacters: 1000));

        var indexed = await index.ReindexAsync([ready, trashed], TestContext.Current.CancellationToken);

        Assert.Equal(1, indexed);
        Assert.Equal(("PUT", "/dms-documents"), (_requests[0].Method, _requests[0].Path));
        Assert.True(JsonNode.Parse(_requests[0].Body)!["mappings"]!["_routing"]!["required"]!.GetValue<bool>());
        var bulk = _requests.Single(r => r.Path == "/dms-documents/_bulk").Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(3, bulk.Count);
        Assert.Equal(ready.ToString(), bulk[0]["index"]!["_id"]!.GetValue<string>());
        Assert.Equal(_tenant.ToString(), bulk[0]["index"]!["routing"]!.GetValue<string>());
        Assert.Equal("Quarterly report", bulk[1]["title"]!.GetValue<string>());
        Assert.Equal(_tenant.ToString(), bulk[1]["tenant_id"]!.GetValue<string>());
        Assert.Equal(1000, bulk[1]["body"]!.GetValue<string>().Length);
        Assert.Equal(trashed.ToString(), bulk[2]["delete"]!["_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_documents_entry_carries_what_describes_it_its_correspondent_and_notes()
    {
        var id = Guid.NewGuid();
        await SeedAsync(id, "ready", "Quarterly report", "Revenue grew.");
        await Sql.ScalarAsync(_owner, $"""
            INSERT INTO correspondents (id, tenant_id, name, created_at) VALUES ('{Guid.NewGuid()}', '{_tenant}', 'Wombat Holdings', now());
            UPDATE documents SET correspondent_id = (SELECT id FROM correspondents WHERE name = 'Wombat Holdings') WHERE id = '{id}';
            INSERT INTO notes (id, tenant_id, document_id, author_subject, author_name, text, created_at)
            VALUES ('{Guid.NewGuid()}', '{_tenant}', '{id}', 'ann', 'ann@example.com', 'Quokka sightings went up.', now());
            """);
        await using var db = Context();
        var index = new ElasticsearchSearchIndex(Client("""{"errors":false,"items":[]}"""), db, Settings());

        await index.ReindexAsync([id], TestContext.Current.CancellationToken);

        var source = JsonNode.Parse(_requests.Single(r => r.Path == "/dms-documents/_bulk").Body.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1])!;
        Assert.Equal("Revenue grew.\nWombat Holdings Quokka sightings went up.", source["body"]!.GetValue<string>());
        var correspondent = await Sql.ScalarAsync(_owner, $"SELECT correspondent_id FROM documents WHERE id = '{id}'");
        Assert.Equal($"[\"correspondent:{correspondent}\"]", source["keys"]!.ToJsonString());
    }

    [Fact]
    public async Task A_change_to_a_document_puts_or_deletes_its_entry_in_the_tenants_routing()
    {
        var id = Guid.NewGuid();
        await SeedAsync(id, "deleted", "Trashed", "Words");
        await using var db = Context();
        var index = new ElasticsearchSearchIndex(Client("""{"result":"deleted"}"""), db, Settings());

        await using (var transaction = await db.BeginTenantTransactionAsync(_tenant, TestContext.Current.CancellationToken))
        {
            await index.IndexAsync(_tenant, id, TestContext.Current.CancellationToken);
        }

        Assert.Contains(_requests, r => r.Method == "DELETE" && r.Path == $"/dms-documents/_doc/{id}?routing={_tenant}");
        Assert.DoesNotContain(_requests, r => r.Path.Contains("/_doc/") && r.Method == "PUT");
    }

    [Fact]
    public async Task The_keys_a_search_asks_for_are_term_filters_and_their_facets_are_read_back()
    {
        await SeedAsync(Guid.NewGuid(), "ready", "Ledger", "x");
        var (type, correspondent) = (Guid.NewGuid(), Guid.NewGuid());
        await Sql.ScalarAsync(_owner, $"INSERT INTO document_types (id, tenant_id, name, created_at) VALUES ('{type}', '{_tenant}', 'Ledger', now())");
        var search = Service(NoHits.Replace("]}}", $$$$"""]},"aggregations":{"keys":{"buckets":[{"key":"type:{{{{type}}}}","doc_count":3}]}}}"""));

        var result = (await search.SearchAsync(_tenant, new SearchQuery("type:LEDGER", CorrespondentId: correspondent), TestContext.Current.CancellationToken)).Value!;

        // Only keys, no words: every document of the tenant that has them, and no second try for typos in titles.
        var query = JsonNode.Parse(Assert.Single(_requests).Body)!;
        var filters = query["query"]!["bool"]!["filter"]!.AsArray().Select(f => f!.ToJsonString()).ToList();
        Assert.Equal("""{"match_all":{}}""", query["query"]!["bool"]!["must"]![0]!.ToJsonString());
        Assert.Contains($$$"""{"terms":{"keys":["type:{{{type}}}"]}}""", filters);
        Assert.Contains($$$"""{"terms":{"keys":["correspondent:{{{correspondent}}}"]}}""", filters);
        Assert.Equal("(type:|correspondent:|option:).*", query["aggs"]!["keys"]!["terms"]!["include"]!.GetValue<string>());
        Assert.Equal(3, result.Keys[$"type:{type}"]);
    }


    [Fact]
    public async Task A_cluster_that_does_not_answer_is_reported_as_unavailable_so_the_api_answers_503()
    {
        var search = Service("""{"error":"unavailable"}""", status: 503);

        var failure = await Assert.ThrowsAsync<SearchUnavailableException>(() => search.SearchAsync(_tenant, new SearchQuery("budget"), TestContext.Current.CancellationToken));

        Assert.Contains("503", failure.Message);
    }

    [Fact]
    public async Task A_restricted_documents_entry_names_its_readers_and_a_users_search_finds_only_what_they_may_read()
    {
        var (restricted, open, group) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await SeedAsync(restricted, "ready", "Merger", "terms");
        await SeedAsync(open, "ready", "Menu", "soup");
        await Sql.ScalarAsync(_owner, $"""
            INSERT INTO groups (id, tenant_id, name, created_at) VALUES ('{group}', '{_tenant}', 'Legal', now());
            INSERT INTO group_members (group_id, user_id, tenant_id, added_at) VALUES ('{group}', 'ann', '{_tenant}', now());
            UPDATE documents SET restricted = true, owner_user_id = 'olga' WHERE id = '{restricted}';
            INSERT INTO document_grants (tenant_id, document_id, group_id, access, granted_at) VALUES ('{_tenant}', '{restricted}', '{group}', 'view', now());
            """);
        await using (var db = Context())
        {
            await new ElasticsearchSearchIndex(Client("""{"errors":false,"items":[]}"""), db, Settings()).ReindexAsync([restricted, open], TestContext.Current.CancellationToken);
        }

        var sources = _requests.Single(r => r.Path == "/dms-documents/_bulk").Body.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!).Where(n => n["readers"] is not null).ToDictionary(n => n["document_id"]!.GetValue<string>(), n => n["readers"]!.ToJsonString());
        Assert.Equal($"[\"group:{group}\",\"user:olga\"]", sources[restricted.ToString()]);
        Assert.Equal("[\"*\"]", sources[open.ToString()]);

        // Ann finds what everyone may, herself and her group may; an admin is not filtered.
        _requests.Clear();
        await using (var db = Context())
        {
            db.Viewer = "ann";
            var settings = Settings();
            await new SearchService(new ElasticsearchSearchIndex(Client(NoHits), db, settings), new SearchFilters(db, new FieldFilterReader(db)), settings)
                .SearchAsync(_tenant, new SearchQuery("terms"), TestContext.Current.CancellationToken);
        }

        var filters = JsonNode.Parse(_requests[0].Body)!["query"]!["bool"]!["filter"]!.ToJsonString();
        Assert.Contains($$$"""{"terms":{"readers":["*","user:ann","group:{{{group}}}"]}}""", filters);
        _requests.Clear();
        await Service(NoHits).SearchAsync(_tenant, new SearchQuery("terms"), TestContext.Current.CancellationToken);
        Assert.DoesNotContain("readers", JsonNode.Parse(_requests[0].Body)!["query"]!["bool"]!["filter"]!.ToJsonString());
    }

    private SearchService Service(string answer, int status = 200)
    {
        var (settings, db) = (Settings(), Context());
        return new SearchService(new ElasticsearchSearchIndex(Client(answer, status), db, settings), new SearchFilters(db, new FieldFilterReader(db)), settings);
    }

    private static IOptions<SearchOptions> Settings(int maxIndexedCharacters = 500_000) => Options.Create(new SearchOptions
    {
        Provider = SearchProvider.Elasticsearch,
        MaxIndexedCharacters = maxIndexedCharacters,
        Elasticsearch = { Url = "http://127.0.0.1:9200" },
    });

    private ElasticsearchClient Client(string answer, int status = 200)
    {
        var settings = new ElasticsearchClientSettings(new InMemoryRequestInvoker(Encoding.UTF8.GetBytes(answer), status))
            .DisableDirectStreaming()
            .OnRequestCompleted(call => _requests.Add((
                call.HttpMethod.ToString(), call.Uri!.PathAndQuery, call.RequestBodyInBytes is { } bytes ? Encoding.UTF8.GetString(bytes) : "")));
        return new ElasticsearchClient(settings);
    }

    private DmsDbContext Context() =>
        new((DbContextOptions<DmsDbContext>)DmsDbContext.Configure(new DbContextOptionsBuilder<DmsDbContext>(), _dataSource).Options);

    private async Task SeedAsync(Guid id, string status, string title, string text)
    {
        await Sql.ScalarAsync(_owner, $"""
            INSERT INTO tenants (id, name, plan, storage_quota_bytes, retention_days, created_at, used_bytes)
            VALUES ('{_tenant}', 'T', 'pro', 1000000, 30, now(), 0) ON CONFLICT DO NOTHING;
            INSERT INTO documents (id, tenant_id, title, file_name, content_type, size_bytes, status, tags, current_version, created_at, updated_at)
            VALUES ('{id}', '{_tenant}', '{title}', 'f.txt', 'text/plain', 10, '{status}', ARRAY['finance'], 1, now(), now());
            INSERT INTO document_versions (document_id, version, tenant_id, file_name, content_type, size_bytes, blob_key, completed_at, upload_expires_at, created_at)
            VALUES ('{id}', 1, '{_tenant}', 'f.txt', 'text/plain', 10, 'k/{id}', now(), now(), now());
            INSERT INTO document_texts (document_id, version, tenant_id, text, pages, ocr_pages, extracted_at)
            VALUES ('{id}', 1, '{_tenant}', '{text}', 1, 0, now());
            """);
    }
}
