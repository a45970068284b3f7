using System.Diagnostics;
using Dms.Adapters.Postgres;
using Dms.Migrations;
using Dms.Fields;
using Dms.Persistence;
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
    private const int QueriesPerKind = 60;

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
        var words = Corpus.Vocabulary();
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

    private static async Task<Guid[]> LoadAsync(NpgsqlDataSource owner, string[] words, int documents, int tenants)
    {
        var tenantIds = Enumerable.Range(0, tenants).Select(_ => Guid.NewGuid()).ToArray();
        await Corpus.ExecuteAsync(owner, """
            INSERT INTO tenants (id, name, plan, storage_quota_bytes, retention_days, used_bytes, created_at)
            SELECT id, 'Bench tenant ' || ordinality, 'pro', 1000000000000, 30, 0, now() FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, ordinality)
            """, tenantIds);
        Console.WriteLine($"Loading {documents:N0} documents of {Corpus.WordsPerDocument} words across {tenants} tenants, {Corpus.Loaders} loaders (generated here, copied in, then indexed)...");
        await Corpus.LoadAsync(owner, words, tenantIds, documents);
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
            var search = new SearchService(new PostgresSearchIndex(db, settings), new SearchFilters(db, new FieldFilterReader(db)), settings);
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
}
