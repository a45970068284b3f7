using System.Text.Json;
using Dms.Persistence;
using Dms.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dms.Adapters.Postgres;

/// <summary>
/// PostgreSQL full-text search over the <c>search_entries</c> table, through the functions that guard it (see the
/// SearchEntries migration): <c>websearch_to_tsquery</c> with accents ignored, ranked, snippets for the returned
/// page only, and facets over every match, all in one statement.
/// </summary>
public sealed class PostgresSearchIndex(DmsDbContext db, IOptions<SearchOptions> options) : ISearchIndex
{
    // Parameters: $1 text, $2 tag, $3 content type, $4 created from, $5 created to, $6 word being typed, $7 words before it.
    private const string Query = """
        websearch_to_tsquery('dms_english', $1)
        || CASE WHEN $6::text IS NULL THEN ''::tsquery
                ELSE websearch_to_tsquery('dms_english', $7) && to_tsquery('simple', dms_unaccent($6) || ':*') END
        """;

    private const char FragmentDelimiter = '\u001f';

    public async Task IndexAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Index a document inside the transaction that changed it.");
        }

        await IndexInTransactionAsync([documentId], cancellationToken);
    }

    public async Task<int> ReindexAsync(IReadOnlyList<Guid> documentIds, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        var indexed = await IndexInTransactionAsync([.. documentIds], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return indexed;
    }

    private async Task<int> IndexInTransactionAsync(Guid[] documentIds, CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<int>($"SELECT dms_search_index({documentIds}, {options.Value.MaxIndexedCharacters}) AS \"Value\"")
            .SingleAsync(cancellationToken);

    /// <summary>The index lives in the database: its search function must be there (the migrations made it).</summary>
    public async Task<string> CheckAsync(CancellationToken cancellationToken) =>
        await db.Database.SqlQuery<bool>($"SELECT to_regproc('dms_search_matches') IS NOT NULL AS \"Value\"").SingleAsync(cancellationToken)
            ? "PostgreSQL full-text search, in the database."
            : throw new InvalidOperationException("The database has no dms_search_matches function: run the migrations.");

    public async Task<SearchResult> SearchAsync(Guid tenantId, SearchRequest request, CancellationToken cancellationToken)
    {
        object?[] parameters = [request.Text, request.Tag, request.ContentType, request.CreatedFrom?.ToUniversalTime(), request.CreatedTo?.ToUniversalTime(), request.Typing, request.Before];
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var headline = $"ts_headline('dms_english', left(t.text, 100000), (SELECT q FROM query), 'MaxFragments=2, MaxWords=25, MinWords=10, StartSel=<mark>, StopSel=</mark>, FragmentDelimiter=\"{FragmentDelimiter}\"')";
        var result = await RunAsync($"WITH query AS (SELECT {Query} AS q), matches AS MATERIALIZED (SELECT * FROM dms_search_matches((SELECT q FROM query), $2, $3, $4, $5))",
            headline, parameters, request, transaction, cancellationToken);
        if (result.Total == 0 && request.Offset == 0)
        {
            result = await RunAsync("WITH matches AS MATERIALIZED (SELECT * FROM dms_search_titles($1, $2, $3, $4, $5))",
                "left(t.text, 200)", parameters[..5], request, transaction, cancellationToken);
        }

        return result;
    }

    /// <summary>Totals and facets in the first columns of every row; one row with no hit when the page is empty.</summary>
    private async Task<SearchResult> RunAsync(
        string matches, string snippet, object?[] parameters, SearchRequest request, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            {matches},
            page AS (SELECT * FROM matches ORDER BY score DESC, document_id LIMIT {request.Limit} OFFSET {request.Offset}),
            totals AS (
                SELECT (SELECT count(*) FROM matches) AS total,
                       (SELECT coalesce(json_object_agg(tag, n), json_build_object()) FROM (SELECT tag, count(*) AS n FROM matches, unnest(tags) AS tag GROUP BY tag) f) AS tags,
                       (SELECT coalesce(json_object_agg(content_type, n), json_build_object()) FROM (SELECT content_type, count(*) AS n FROM matches GROUP BY content_type) f) AS types)
            SELECT totals.total, totals.tags::text, totals.types::text,
                   hit.document_id, hit.title, hit.file_name, hit.created_at, hit.score, hit.snippet
            FROM totals LEFT JOIN (
                SELECT p.document_id, p.title, p.file_name, p.created_at, p.score, {snippet} AS snippet
                FROM page p JOIN document_texts t ON t.document_id = p.document_id AND t.version = p.version) hit ON true
            ORDER BY hit.score DESC, hit.document_id
            """, (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        }

        long total = 0;
        Dictionary<string, long> tags = [], types = [];
        var hits = new List<SearchHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            total = reader.GetInt64(0);
            tags = JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(1))!;
            types = JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(2))!;
            if (!reader.IsDBNull(3))
            {
                hits.Add(new SearchHit(
                    reader.GetGuid(3), reader.GetString(4), reader.GetString(5), reader.GetFloat(7),
                    reader.GetString(8).Split(FragmentDelimiter, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                    reader.GetFieldValue<DateTimeOffset>(6)));
            }
        }

        return new SearchResult(total, hits, tags, types, null);
    }
}
