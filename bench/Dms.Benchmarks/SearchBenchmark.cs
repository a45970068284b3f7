using System.Diagnostics;
using Dms.Data;
using Dms.Migrations;
using Dms.Search;
using Dms.Search.Postgres;
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
    private const int LoadBatch = 10_000;
    private const int QueriesPerKind = 60;

    /// <summary>Loading connections at once: PostgreSQL's text parser, not the copy, limits the load, one core each.</summary>
    private static readonly int Loaders = Environment.ProcessorCount;

    public static async Task RunAsync(int documents, int tenants)
    {
        // A quarter of the memory for PostgreSQL's cache, as a database server is usually given: with the default
        // 128 MB every query of another tenant read its matches' pages in again.
        await using var postgres = new TemporaryPostgres { ServerSettings = "-c shared_buffers=6GB -c effective_cache_size=18GB" };
        await postgres.InitializeAsync();
        var owner = await postgres.CreateDatabaseAsync("search");
        if (await RunnerCommand.RunAsync(["up", "--connection", owner, "--app-password", postgres.AppPassword], TextWriter.Null, TextWriter.Null) != RunnerCommand.Succeeded)
        {
            throw new InvalidOperationException("The migrations failed.");
        }

        await using var ownerSource = NpgsqlDataSource.Create(owner);
        var words = Vocabulary();
        var tenantIds = await LoadAsync(ownerSource, words, documents, tenants);

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

    /// <summary>Pronounceable made-up words; index 0 is the most frequent.</summary>
    private static string[] Vocabulary()
    {
        const string consonants = "bcdfghklmnprstvz";
        const string vowels = "aeiou";
        var random = new Random(7);
        var words = new HashSet<string>();
        while (words.Count < VocabularySize)
        {
            var length = 2 + random.Next(3);
            words.Add(string.Concat(Enumerable.Range(0, length).Select(_ => $"{consonants[random.Next(consonants.Length)]}{vowels[random.Next(vowels.Length)]}")));
        }

        return [.. words];
    }

    /// <summary>A word's rank drawn as N^(u^3): the first words often, the long tail rarely.</summary>
    private static string Draw(string[] words, Random random) =>
        words[Math.Min(words.Length, (int)Math.Pow(words.Length, Math.Pow(random.NextDouble(), 3))) - 1];

    private static async Task<Guid[]> LoadAsync(NpgsqlDataSource owner, string[] words, int documents, int tenants)
    {
        var tenantIds = Enumerable.Range(0, tenants).Select(_ => Guid.NewGuid()).ToArray();
        await ExecuteAsync(owner, """
            INSERT INTO tenants (id, name, plan, storage_quota_bytes, retention_days, used_bytes, created_at)
            SELECT id, 'Bench tenant ' || ordinality, 'pro', 1000000000000, 30, 0, now() FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, ordinality)
            """, tenantIds);

        Console.WriteLine($"Loading {documents:N0} documents of {WordsPerDocument} words across {tenants} tenants, {Loaders} loaders (generated here, copied in, then indexed)...");
        var now = DateTimeOffset.UtcNow;
        var loaded = 0;
        var clock = Stopwatch.StartNew();
        var batches = Enumerable.Range(0, (documents + LoadBatch - 1) / LoadBatch);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Loaders }, async (number, _) =>
        {
            var random = new Random(number);
            var batch = Enumerable.Range(number * LoadBatch, Math.Min(LoadBatch, documents - number * LoadBatch)).Select(i => (
                Id: Guid.NewGuid(),
                Tenant: tenantIds[i % tenants],
                Title: string.Join(' ', Enumerable.Range(0, 3).Select(_ => words[random.Next(5000)])),
                Body: string.Join(' ', Enumerable.Range(0, WordsPerDocument).Select(_ => Draw(words, random))),
                I: i)).ToList();
            await using var connection = await owner.OpenConnectionAsync();
            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY documents (id, tenant_id, title, file_name, content_type, size_bytes, status, tags, current_version, created_at, updated_at) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var d in batch)
                {
                    await copy.WriteRowAsync(default, d.Id, d.Tenant, d.Title, $"doc-{d.I}.txt", "text/plain", (long)d.Body.Length, "ready", new[] { $"tag{d.I % 10}" }, 1, now, now);
                }

                await copy.CompleteAsync();
            }

            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY document_versions (document_id, version, tenant_id, file_name, content_type, size_bytes, blob_key, completed_at, upload_expires_at, created_at) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var d in batch)
                {
                    await copy.WriteRowAsync(default, d.Id, 1, d.Tenant, $"doc-{d.I}.txt", "text/plain", (long)d.Body.Length, $"{d.Tenant}/documents/{d.Id}/v1/content", now, now, now);
                }

                await copy.CompleteAsync();
            }

            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY document_texts (document_id, version, tenant_id, text, pages, ocr_pages, extracted_at) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var d in batch)
                {
                    await copy.WriteRowAsync(default, d.Id, 1, d.Tenant, d.Body, 1, 0, now);
                }

                await copy.CompleteAsync();
            }

            // What the pipeline's index step and a reindex do, for the whole batch at once.
            await using (var index = new NpgsqlCommand("SELECT set_config('app.cross_tenant', 'on', false), dms_search_index($1, 500000)", connection))
            {
                index.CommandTimeout = 0;
                index.Parameters.Add(new NpgsqlParameter { Value = batch.Select(d => d.Id).ToArray() });
                await index.ExecuteNonQueryAsync();
            }

            var total = Interlocked.Add(ref loaded, batch.Count);
            Console.Write($"\r  {total:N0} loaded, {total / clock.Elapsed.TotalSeconds:N0} documents/s");
        });

        var loading = clock.Elapsed;
        var vacuum = Stopwatch.StartNew();
        await ExecuteAsync(owner, "VACUUM ANALYZE documents");
        await ExecuteAsync(owner, "VACUUM ANALYZE document_texts");
        await ExecuteAsync(owner, "VACUUM ANALYZE search_entries");
        Console.WriteLine($"\r  {documents:N0} documents generated, copied and indexed in {loading.TotalSeconds:N0} s: {documents / loading.TotalSeconds:N0} documents/s (then VACUUM ANALYZE {vacuum.Elapsed.TotalSeconds:N0} s)");
        return tenantIds;
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
            var settings = Options.Create(new SearchOptions());
            var search = new SearchService(new PostgresSearchIndex(db, settings), settings);
            var started = Stopwatch.GetTimestamp();
            var result = await search.SearchAsync(tenant, new SearchQuery(q, tag, Limit: 20), CancellationToken.None);
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
            SELECT pg_size_pretty(pg_relation_size('ix_search_entries_vector')),
                   pg_size_pretty(pg_relation_size('ix_search_entries_title') + pg_relation_size('ix_search_entries_file_name')),
                   pg_size_pretty(pg_table_size('search_entries')),
                   pg_size_pretty(pg_database_size(current_database()))
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine($"Index on disk: words GIN {reader.GetString(0)}, title and file name trigram GIN {reader.GetString(1)}, entries with their vectors {reader.GetString(2)}; whole database {reader.GetString(3)}");
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
