using System.Diagnostics;
using Dms.Data;
using Dms.Migrations;
using Dms.Search;
using Dms.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dms.Benchmarks;

/// <summary>
/// Loads a generated corpus straight into a throwaway PostgreSQL (migrated like the real one; fsync off, so the load
/// rate is an upper bound), then times the search use case, as the application role, the way the API calls it.
/// The words follow a long-tailed distribution: a few are everywhere, most are rare, as in real text.
/// </summary>
public static class SearchBenchmark
{
    private const int VocabularySize = 50_000;
    private const int WordsPerDocument = 300;
    private const int LoadBatch = 20_000;
    private const int QueriesPerKind = 60;

    public static async Task RunAsync(int documents, int tenants)
    {
        await using var postgres = new TemporaryPostgres();
        await postgres.InitializeAsync();
        var owner = await postgres.CreateDatabaseAsync("search");
        if (await RunnerCommand.RunAsync(["up", "--connection", owner, "--app-password", postgres.AppPassword], TextWriter.Null, TextWriter.Null) != RunnerCommand.Succeeded)
        {
            throw new InvalidOperationException("The migrations failed.");
        }

        await using var ownerSource = NpgsqlDataSource.Create(owner);
        var tenantIds = await LoadAsync(ownerSource, documents, tenants);
        var words = await WordsByFrequencyAsync(ownerSource);

        await using var appSource = NpgsqlDataSource.Create(postgres.AppConnectionString(owner));
        var queries = new (string Kind, string Query, string? Tag)[]
        {
            ("1 term", words[200], null),
            ("2 terms", $"{words[150]} {words[400]}", null),
            ("phrase", $"\"{words[0]} {words[1]}\"", null),
            ("filtered (tag)", words[200], "tag3"),
            ("typo'd title", "", null),
        };
        Console.WriteLine($"{"query",-16} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"queries/s",10} {"hits (avg)",11}");
        foreach (var (kind, query, tag) in queries)
        {
            await MeasureAsync(appSource, ownerSource, tenantIds, kind, query, tag);
        }

        await PrintSizesAsync(ownerSource);
    }

    private static async Task<Guid[]> LoadAsync(NpgsqlDataSource owner, int documents, int tenants)
    {
        var tenantIds = Enumerable.Range(0, tenants).Select(_ => Guid.NewGuid()).ToArray();
        await ExecuteAsync(owner, """
            INSERT INTO tenants (id, name, plan, storage_quota_bytes, retention_days, used_bytes, created_at)
            SELECT id, 'Bench tenant ' || ordinality, 'pro', 1000000000000, 30, 0, now() FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, ordinality)
            """, tenantIds);
        await ExecuteAsync(owner, $"""
            CREATE TABLE bench_vocabulary AS
            SELECT i AS rank, translate(substr(md5(i::text), 1, 4 + i % 6), '0123456789', 'ghijklmnop') AS word
            FROM generate_series(1, {VocabularySize}) AS i;
            CREATE UNIQUE INDEX ON bench_vocabulary (rank);
            """);

        Console.WriteLine($"Loading {documents:N0} documents of ~{WordsPerDocument} words across {tenants} tenants...");
        var clock = Stopwatch.StartNew();
        for (var from = 0; from < documents; from += LoadBatch)
        {
            var count = Math.Min(LoadBatch, documents - from);
            // A word's rank is drawn as N^(u^3): rank 1 often, the long tail rarely. "WHERE w > 0 * i" ties each
            // subquery to its row and "+ 0 * w" each aggregate to its subquery, so every document gets its own draw.
            await ExecuteAsync(owner, $"""
                WITH vocabulary AS (SELECT array_agg(word ORDER BY rank) AS words FROM bench_vocabulary),
                docs AS (
                    SELECT gen_random_uuid() AS id, ($1::uuid[])[1 + i % {tenants}] AS tenant_id, i,
                           (SELECT string_agg(words[least({VocabularySize}, floor(power({VocabularySize}, power(random(), 3)))::int) + 0 * w], ' ')
                            FROM generate_series(1, {WordsPerDocument}) AS w WHERE w > 0 * i) AS body,
                           (SELECT string_agg(words[1 + floor(random() * 5000)::int + 0 * w], ' ') FROM generate_series(1, 3) AS w WHERE w > 0 * i) AS title
                    FROM generate_series({from}, {from + count - 1}) AS i, vocabulary),
                documents_added AS (
                    INSERT INTO documents (id, tenant_id, title, file_name, content_type, size_bytes, status, tags, current_version, created_at, updated_at)
                    SELECT id, tenant_id, title, 'doc-' || i || '.txt', 'text/plain', length(body), 'ready', ARRAY['tag' || i % 10], 1, now(), now() FROM docs),
                versions_added AS (
                    INSERT INTO document_versions (document_id, version, tenant_id, file_name, content_type, size_bytes, blob_key, completed_at, upload_expires_at, created_at)
                    SELECT id, 1, tenant_id, 'doc-' || i || '.txt', 'text/plain', length(body), tenant_id || '/documents/' || id || '/v1/content', now(), now(), now() FROM docs)
                INSERT INTO document_texts (document_id, version, tenant_id, text, pages, ocr_pages, extracted_at, search_vector)
                SELECT id, 1, tenant_id, body, 1, 0, now(), setweight(to_tsvector('english', dms_unaccent(body)), 'C') FROM docs
                """, tenantIds);
            Console.Write($"\r  {from + count:N0} loaded, {(from + count) / clock.Elapsed.TotalSeconds:N0} documents/s");
        }

        await ExecuteAsync(owner, "VACUUM ANALYZE documents");
        await ExecuteAsync(owner, "VACUUM ANALYZE document_texts");
        Console.WriteLine($"\r  {documents:N0} documents loaded and indexed in {clock.Elapsed.TotalSeconds:N0} s: {documents / clock.Elapsed.TotalSeconds:N0} documents/s (vacuum included)");
        return tenantIds;
    }

    private static async Task<string[]> WordsByFrequencyAsync(NpgsqlDataSource owner)
    {
        await using var command = owner.CreateCommand("SELECT word FROM bench_vocabulary ORDER BY rank");
        await using var reader = await command.ExecuteReaderAsync();
        var words = new List<string>();
        while (await reader.ReadAsync())
        {
            words.Add(reader.GetString(0));
        }

        return [.. words];
    }

    /// <summary>Each query kind, round-robin over the tenants, one at a time; snippets for the top 20 as the API asks.</summary>
    private static async Task MeasureAsync(NpgsqlDataSource app, NpgsqlDataSource owner, Guid[] tenants, string kind, string query, string? tag)
    {
        var latencies = new List<double>();
        long hits = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < QueriesPerKind; i++)
        {
            var tenant = tenants[i % tenants.Length];
            var q = query.Length > 0 ? query : await MisspeltTitleAsync(owner, tenant);
            await using var db = new DmsDbContext(DmsDbContext.Configure(new DbContextOptionsBuilder<DmsDbContext>(), app).Options as DbContextOptions<DmsDbContext>
                ?? throw new InvalidOperationException());
            var search = new SearchService(db, Options.Create(new SearchOptions()));
            var started = Stopwatch.GetTimestamp();
            var result = await search.SearchAsync(tenant, new SearchQuery(q, tag, null, 20, null), CancellationToken.None);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            hits += result.Value?.Total ?? throw new InvalidOperationException(result.Error?.Detail);
        }

        Console.WriteLine($"{kind,-16} {Figures.Percentile(latencies, 50),8:F1} {Figures.Percentile(latencies, 95),8:F1} {Figures.Percentile(latencies, 99),8:F1} {QueriesPerKind / clock.Elapsed.TotalSeconds,10:F1} {hits / QueriesPerKind,11:N0}");
    }

    /// <summary>A real title of the tenant with one letter dropped from each word.</summary>
    private static async Task<string> MisspeltTitleAsync(NpgsqlDataSource owner, Guid tenant)
    {
        await using var command = owner.CreateCommand("SELECT title FROM documents WHERE tenant_id = $1 LIMIT 1 OFFSET floor(random() * 100)::int");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        var title = (string)(await command.ExecuteScalarAsync())!;
        return string.Join(' ', title.Split(' ').Select(w => w.Length > 4 ? w.Remove(w.Length / 2, 1) : w));
    }

    private static async Task PrintSizesAsync(NpgsqlDataSource owner)
    {
        await using var command = owner.CreateCommand("""
            SELECT pg_size_pretty(pg_relation_size('ix_document_texts_search_vector')),
                   pg_size_pretty(pg_relation_size('ix_documents_search_vector') + pg_relation_size('ix_documents_title_trigram')),
                   pg_size_pretty(pg_total_relation_size('document_texts')),
                   pg_size_pretty(pg_database_size(current_database()))
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine($"Index on disk: body GIN {reader.GetString(0)}, title/tag GIN and trigram {reader.GetString(1)}; texts with their vectors {reader.GetString(2)}; database {reader.GetString(3)}");
    }

    private static async Task ExecuteAsync(NpgsqlDataSource source, string sql, params object[] parameters)
    {
        await using var command = source.CreateCommand(sql);
        command.CommandTimeout = 0;
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }
}
