using System.Text;
using System.Text.Json;
using Dms.Contracts;
using Dms.Persistence;
using Dms.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dms.Adapters.Postgres;

/// <summary>
/// PostgreSQL full-text search over the <c>search_entries</c> table, through the functions that guard it (see the
/// SearchEntries migration): <c>websearch_to_tsquery</c> with accents ignored, ranked, snippets for the returned
/// page only, and facets over every match, all in one statement. Snippets are HTML: the text escaped, matches marked.
/// Every search is bounded: at most <see cref="SearchOptions.MaxCandidates"/> matches are ranked and counted, snippets
/// come from the first <see cref="SearchOptions.SnippetWindowCharacters"/>, and the statement has a timeout.
/// </summary>
public sealed class PostgresSearchIndex(DmsDbContext db, IOptions<SearchOptions> options) : ISearchIndex
{
    // Parameters: $1 text, $2 tag, $3 content type, $4 created from, $5 created to, $6 word being typed, $7 words before it,
    // $8 the keys wanted as a tsquery (see Keys). The word being typed is one quoted lexeme (quotes and backslashes
    // escaped), so no character of it is tsquery syntax.
    private const string Query = """
        (websearch_to_tsquery('dms_english', $1)
         || CASE WHEN $6::text IS NULL THEN ''::tsquery
                 ELSE websearch_to_tsquery('dms_english', $7)
                      && to_tsquery('simple', '''' || replace(replace(dms_unaccent($6), '\', '\\'), '''', '''''') || ''':*') END)
        && CASE WHEN $8::text IS NULL THEN ''::tsquery ELSE $8::text::tsquery END
        """;

    /// <summary>The facets among the keys: types, correspondents and options (not the fields' values, nor whether they have one).</summary>
    private static readonly string FacetKeys =
        $"k LIKE '{SearchKeys.TypePrefix}%' OR k LIKE '{SearchKeys.CorrespondentPrefix}%' OR k LIKE '{SearchKeys.OptionPrefix}%'";

    private const char FragmentDelimiter = '\u001f';

    // What ts_headline puts around a match: both are removed from the text first, so only matches carry them.
    private const char StartMark = '\u0002';
    private const char StopMark = '\u0003';

    /// <summary>The first characters of the stored text, without the two marks.</summary>
    private static string Unmarked(int characters) => $@"translate(left(t.text, {characters}), E'\u0002\u0003', '')";

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
        object?[] parameters = [request.Text, request.Tag, request.ContentType, request.CreatedFrom?.ToUniversalTime(), request.CreatedTo?.ToUniversalTime(), request.Typing, request.Before, Keys(request.Keys)];
        var headline = $"ts_headline('dms_english', {Unmarked(options.Value.SnippetWindowCharacters)}, (SELECT q FROM query), 'MaxFragments=2, MaxWords=25, MinWords=10, StartSel=\"{StartMark}\", StopSel=\"{StopMark}\", FragmentDelimiter=\"{FragmentDelimiter}\"')";
        var cap = options.Value.MaxCandidates;
        try
        {
            var result = await RunAsync($"WITH query AS (SELECT {Query} AS q), matches AS MATERIALIZED (SELECT * FROM dms_search_matches((SELECT q FROM query), $2, $3, $4, $5, {cap}))",
                headline, parameters, tenantId, request, cancellationToken);
            // Titles like the words typed, when no word matched: not when the search asked for keys, which titles cannot have.
            if (result.Total == 0 && request.Offset == 0 && request.Keys.Count == 0)
            {
                result = await RunAsync($"WITH matches AS MATERIALIZED (SELECT * FROM dms_search_titles($1, $2, $3, $4, $5, {cap}))",
                    Unmarked(200), parameters[..5], tenantId, request, cancellationToken);
            }

            return result with { TotalIsLowerBound = result.Total >= cap };
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled && !cancellationToken.IsCancellationRequested)
        {
            throw new SearchTooBroadException(e);
        }
    }

    /// <summary>
    /// Totals and facets in the first columns of every row; one row with no hit when the page is empty. One round trip:
    /// the tenant and the statement timeout are set in the same batch, which PostgreSQL runs as one implicit
    /// transaction, so both settings hold for this statement only.
    /// </summary>
    private async Task<SearchResult> RunAsync(string matches, string snippet, object?[] parameters, Guid tenantId, SearchRequest request, CancellationToken cancellationToken)
    {
        var timeout = ((int)Math.Ceiling(options.Value.StatementTimeout.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch(connection);
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                $"SELECT set_config('{DatabaseNames.TenantSetting}', $1, true), set_config('{DatabaseNames.ViewerSetting}', $3, true), set_config('statement_timeout', $2, true)")
            {
                Parameters = { new NpgsqlParameter { Value = tenantId.ToString() }, new NpgsqlParameter { Value = timeout }, new NpgsqlParameter { Value = db.Viewer } },
            });
            var command = new NpgsqlBatchCommand($"""
            {matches},
            page AS (SELECT * FROM matches ORDER BY score DESC, document_id LIMIT {request.Limit} OFFSET {request.Offset}),
            totals AS (
                SELECT (SELECT count(*) FROM matches) AS total,
                       (SELECT coalesce(json_object_agg(tag, n), json_build_object()) FROM (SELECT tag, count(*) AS n FROM matches, unnest(tags) AS tag GROUP BY tag) f) AS tags,
                       (SELECT coalesce(json_object_agg(content_type, n), json_build_object()) FROM (SELECT content_type, count(*) AS n FROM matches GROUP BY content_type) f) AS types,
                       (SELECT coalesce(json_object_agg(k, n), json_build_object()) FROM (SELECT k, count(*) AS n FROM matches, unnest(keys) AS k WHERE {FacetKeys} GROUP BY k) f) AS keys)
            SELECT totals.total, totals.tags::text, totals.types::text, totals.keys::text,
                   hit.document_id, hit.title, hit.file_name, hit.created_at, hit.score, hit.snippet
            FROM totals LEFT JOIN (
                SELECT p.document_id, p.title, p.file_name, p.created_at, p.score, {snippet} AS snippet
                FROM page p JOIN document_texts t ON t.document_id = p.document_id AND t.version = p.version) hit ON true
            ORDER BY hit.score DESC, hit.document_id
            """);
            foreach (var parameter in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
            }

            batch.BatchCommands.Add(command);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            return await ReadResultAsync(reader, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<SearchResult> ReadResultAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        long total = 0;
        Dictionary<string, long> tags = [], types = [], keys = [];
        var hits = new List<SearchHit>();
        while (await reader.ReadAsync(cancellationToken))
        {
            total = reader.GetInt64(0);
            tags = JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(1))!;
            types = JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(2))!;
            keys = JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(3))!;
            if (!reader.IsDBNull(4))
            {
                hits.Add(new SearchHit(
                    reader.GetGuid(4), reader.GetString(5), reader.GetString(6), reader.GetFloat(8),
                    [.. reader.GetString(9).Split(FragmentDelimiter, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ToHtml)],
                    reader.GetFieldValue<DateTimeOffset>(7)));
            }
        }

        return new SearchResult(total, hits, tags, types, null, Keys: keys);
    }

    /// <summary>
    /// The keys wanted as a tsquery (null for none): each lexeme quoted (quotes doubled, backslashes escaped), so no
    /// character of a value is tsquery syntax; any of a key's lexemes, or none when negated; every key.
    /// </summary>
    private static string? Keys(IReadOnlyList<SearchKey> keys) => keys.Count == 0 ? null : string.Join(" & ", keys.Select(key =>
        $"{(key.Negated ? "!" : "")}({string.Join(" | ", key.AnyOf.Select(lexeme => $"'{lexeme.Replace(@"\", @"\\").Replace("'", "''")}'"))})"));

    /// <summary>A snippet as HTML: the document's text escaped, then its marks made <c>&lt;mark&gt;</c> elements.</summary>
    private static string ToHtml(string marked)
    {
        var html = new StringBuilder(marked.Length + 32);
        var start = 0;
        for (var i = 0; i < marked.Length; i++)
        {
            if (marked[i] is StartMark or StopMark)
            {
                Escape(html, marked.AsSpan(start, i - start)).Append(marked[i] == StartMark ? "<mark>" : "</mark>");
                start = i + 1;
            }
        }

        return Escape(html, marked.AsSpan(start)).ToString();
    }

    /// <summary>The five characters that mean something in HTML text or attributes, as entities; the rest as they are.</summary>
    private static StringBuilder Escape(StringBuilder html, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => html.Append("&amp;"),
                '<' => html.Append("&lt;"),
                '>' => html.Append("&gt;"),
                '"' => html.Append("&quot;"),
                '\'' => html.Append("&#39;"),
                _ => html.Append(c),
            };
        }

        return html;
    }
}
