using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.IntegrationTests.Api;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Security;

/// <summary>
/// A search made to cost as much as possible (one letter typed, a word every document has) stays within its
/// bounds: a prefix needs three letters, the matches ranked and counted are capped, and a statement timeout ends it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CostlySearchTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private const int Documents = 110;
    private ApiScenario _scenario = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres, settings: new Dictionary<string, string> { ["Dms:Search:MaxCandidates"] = "100" }));
        using var editor = _scenario.EditorA;
        for (var i = 0; i < Documents; i++)
        {
            await ApiScenario.CreateDocumentAsync(editor, ApiScenario.RandomBytes(10), $"fruit-{i}.txt", "text/plain");
        }

        // As if the pipeline had read them: long texts that every search word matches.
        await Sql.ScalarAsync(_scenario.OwnerConnection, $"""
            SELECT set_config('app.cross_tenant', 'on', false);
            UPDATE documents SET status = 'ready' WHERE tenant_id = '{_scenario.TenantA}';
            INSERT INTO document_texts (tenant_id, document_id, version, text, pages, ocr_pages, extracted_at)
            SELECT tenant_id, id, current_version, repeat('apple banana cherry orchard ', 2000), 1, 0, now() FROM documents WHERE tenant_id = '{_scenario.TenantA}';
            SELECT dms_search_index(array_agg(id), 500000) FROM documents WHERE tenant_id = '{_scenario.TenantA}';
            """);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_word_being_typed_matches_as_a_prefix_only_from_three_letters()
    {
        using var editor = _scenario.EditorA;

        var oneLetter = await SearchAsync(editor, "b");
        var threeLetters = await SearchAsync(editor, "ban");

        Assert.Equal(0, oneLetter.GetProperty("total").GetInt64());
        Assert.Equal(100, threeLetters.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Matches_past_the_candidate_cap_are_not_ranked_or_counted_and_the_total_says_it_is_a_lower_bound()
    {
        using var editor = _scenario.EditorA;

        var all = await SearchAsync(editor, "orchard");

        Assert.Equal(100, all.GetProperty("total").GetInt64());
        Assert.True(all.GetProperty("totalIsLowerBound").GetBoolean());
        Assert.Equal(100, all.GetProperty("contentTypeFacets").GetProperty("text/plain").GetInt64());
    }

    [Fact]
    public async Task A_search_reads_no_more_index_entries_than_the_candidate_cap()
    {
        using var editor = _scenario.EditorA;
        var before = await EntriesReadAsync(0);

        var all = await SearchAsync(editor, "orchard");

        // The table's counters (rows returned by its scans) reach the statistics once the API's connection is idle;
        // a search's reads are counted together, in one flush.
        var read = await EntriesReadAsync(before) - before;
        Assert.Equal(100, all.GetProperty("total").GetInt64());
        Assert.InRange(read, 1, 100);
    }

    /// <summary>Rows read from the index table so far, waiting up to 10 s for the counters to pass <paramref name="past"/>.</summary>
    private async Task<long> EntriesReadAsync(long past)
    {
        for (var waited = 0; ; waited += 100)
        {
            var read = Convert.ToInt64(await Sql.ScalarAsync(_scenario.OwnerConnection, """
                SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_user_tables WHERE relname = 'search_entries'
                """), System.Globalization.CultureInfo.InvariantCulture);
            if (read > past || waited >= 10_000)
            {
                return read;
            }

            await Task.Delay(100, Cancellation);
        }
    }

    [Fact]
    public async Task A_search_past_its_statement_timeout_is_refused_with_a_problem_that_says_how_to_narrow_it()
    {
        await using var strict = new ApiFactory(postgres.AppConnectionString(_scenario.OwnerConnection),
            new Dictionary<string, string> { ["Dms:Search:StatementTimeout"] = "00:00:00.001" });
        using var editor = strict.CreateClient(TestTokens.For(_scenario.TenantA, Dms.Contracts.Roles.Editor));

        using var response = await editor.GetAsync("/api/v1/search?q=apple&limit=100", Cancellation);

        var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("urn:dms:problem:search-too-broad", problem.GetProperty("type").GetString());
    }

    private static async Task<JsonElement> SearchAsync(HttpClient client, string q) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/v1/search?q={Uri.EscapeDataString(q)}", Cancellation);
}
