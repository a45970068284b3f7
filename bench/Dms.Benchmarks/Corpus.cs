using System.Diagnostics;
using Dms.Contracts;
using Npgsql;

namespace Dms.Benchmarks;

/// <summary>
/// A generated corpus copied straight into a migrated database as ready, indexed documents: made-up words in a
/// long-tailed distribution (a few everywhere, most rare, as in real text), indexed with the function the pipeline uses.
/// </summary>
public static class Corpus
{
    public const int WordsPerDocument = 300;

    private const int VocabularySize = 50_000;
    private const int LoadBatch = 10_000;

    /// <summary>Loading connections at once: PostgreSQL's text parser, not the copy, limits the load, one core each.</summary>
    public static readonly int Loaders = Environment.ProcessorCount;

    /// <summary>Pronounceable made-up words; index 0 is the most frequent.</summary>
    public static string[] Vocabulary()
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

    /// <summary>Loads <paramref name="documents"/> ready documents, spread over <paramref name="tenantIds"/> in turn; returns their ids.</summary>
    public static async Task<IReadOnlyList<Guid>> LoadAsync(NpgsqlDataSource owner, string[] words, Guid[] tenantIds, int documents)
    {
        var now = DateTimeOffset.UtcNow;
        var ids = new Guid[documents];
        var loaded = 0;
        var clock = Stopwatch.StartNew();
        var batches = Enumerable.Range(0, (documents + LoadBatch - 1) / LoadBatch);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Loaders }, async (number, _) =>
        {
            var random = new Random(number);
            var batch = Enumerable.Range(number * LoadBatch, Math.Min(LoadBatch, documents - number * LoadBatch)).Select(i => (
                Id: ids[i] = Guid.NewGuid(),
                Tenant: tenantIds[i % tenantIds.Length],
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
            await using (var index = new NpgsqlCommand($"SELECT set_config('{DatabaseNames.CrossTenantSetting}', 'on', false), dms_search_index($1, 500000)", connection))
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
        return ids;
    }

    public static async Task ExecuteAsync(NpgsqlDataSource source, string sql, params object[] parameters)
    {
        await using var command = source.CreateCommand(sql);
        command.CommandTimeout = 0;
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A word's rank drawn as N^(u^3): the first words often, the long tail rarely.</summary>
    private static string Draw(string[] words, Random random) =>
        words[Math.Min(words.Length, (int)Math.Pow(words.Length, Math.Pow(random.NextDouble(), 3))) - 1];
}
