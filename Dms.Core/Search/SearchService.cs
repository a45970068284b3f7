using System.Globalization;
using Dms.Common;
using Dms.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dms.Search;

public sealed record SearchQuery(string? Q, string? Tag, string? ContentType, int? Limit, string? Cursor);

/// <summary>One hit: its score and a snippet of the text with the matched words between <c>&lt;mark&gt;</c> tags.</summary>
public sealed record SearchHit(Guid DocumentId, string Title, string FileName, double Score, string Snippet, DateTimeOffset CreatedAt);

public sealed record SearchResult(
    long Total, IReadOnlyList<SearchHit> Hits, IReadOnlyDictionary<string, long> Tags, IReadOnlyDictionary<string, long> ContentTypes, string? NextCursor);

/// <summary>
/// Searches a tenant's ready documents with PostgreSQL full-text search: <c>websearch_to_tsquery</c> (phrases in
/// quotes, <c>or</c>, <c>-exclusion</c>), accents ignored, ranked, snippets for the returned page only, facets over
/// every match. When nothing matches, titles are searched by trigram similarity, which forgives typos.
/// </summary>
public sealed class SearchService(DmsDbContext db, IOptions<SearchOptions> options)
{
    private const int DefaultLimit = 20;

    // $5 is the last word being typed, matched as a prefix together with the words before it ($6). The candidates
    // come from each GIN index separately: one condition over both tables (an OR) could use neither.
    private const string Matches = """
        WITH query AS (
            SELECT websearch_to_tsquery('english', dms_unaccent($1))
                   || CASE WHEN $5::text IS NULL THEN ''::tsquery
                           ELSE websearch_to_tsquery('english', dms_unaccent($6)) && to_tsquery('simple', dms_unaccent($5) || ':*') END AS q),
        candidates AS (
            SELECT d.id FROM documents d, query WHERE d.tenant_id = $2 AND d.search_vector @@ query.q
            UNION
            SELECT t.document_id FROM document_texts t, query WHERE t.tenant_id = $2 AND t.search_vector @@ query.q),
        matches AS (
            SELECT d.id, d.title, d.file_name, d.created_at, d.tags, d.content_type, t.text,
                   ts_rank(d.search_vector || coalesce(t.search_vector, ''::tsvector), query.q) AS score
            FROM candidates c
            JOIN documents d ON d.id = c.id
            JOIN document_texts t ON t.document_id = d.id AND t.version = d.current_version
            CROSS JOIN query
            WHERE d.status = 'ready'
              AND ($3::text IS NULL OR d.tags @> ARRAY[$3::text])
              AND ($4::text IS NULL OR d.content_type = $4))
        """;

    private const string TitleLike = """
        WITH matches AS (
            SELECT d.id, d.title, d.file_name, d.created_at, d.tags, d.content_type, t.text,
                   similarity(dms_unaccent(lower(d.title)), dms_unaccent(lower($1))) AS score
            FROM documents d
            JOIN document_texts t ON t.document_id = d.id AND t.version = d.current_version
            WHERE d.tenant_id = $2 AND d.status = 'ready'
              AND dms_unaccent(lower(d.title)) % dms_unaccent(lower($1))
              AND ($3::text IS NULL OR d.tags @> ARRAY[$3::text])
              AND ($4::text IS NULL OR d.content_type = $4))
        """;

    private SearchOptions Limits => options.Value;

    public async Task<Outcome<SearchResult>> SearchAsync(Guid tenantId, SearchQuery query, CancellationToken cancellationToken)
    {
        if (Validate(query) is { } invalid)
        {
            return invalid;
        }

        var limit = query.Limit ?? DefaultLimit;
        var offset = query.Cursor is null ? 0 : int.Parse(query.Cursor, CultureInfo.InvariantCulture);
        var (typing, before) = LastWordBeingTyped(query.Q!);
        object?[] parameters = [query.Q!.Trim(), tenantId, query.Tag?.Trim().ToLowerInvariant(), query.ContentType, typing, before];
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var result = await RunAsync(Matches, "ts_headline('english', left(text, 100000), (SELECT q FROM query), 'MaxFragments=2, MaxWords=25, MinWords=10, StartSel=<mark>, StopSel=</mark>')",
            parameters, limit, offset, transaction, cancellationToken);
        if (result.Total == 0 && offset == 0)
        {
            result = await RunAsync(TitleLike, "left(text, 200)", parameters[..4], limit, offset, transaction, cancellationToken);
        }

        return result;
    }

    private async Task<SearchResult> RunAsync(
        string matches, string snippet, object?[] parameters, int limit, int offset, IDbContextTransaction transaction, CancellationToken cancellationToken)
    {
        var hits = new List<SearchHit>();
        long total = 0;
        await using (var page = Command($"""
            {matches}
            SELECT id, title, file_name, created_at, score, {snippet}, total FROM (
                SELECT *, count(*) OVER () AS total FROM matches ORDER BY score DESC, id LIMIT {limit} OFFSET {offset}) page
            ORDER BY score DESC, id
            """, parameters, transaction))
        await using (var reader = await page.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                hits.Add(new SearchHit(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFloat(4), reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(3)));
                total = reader.GetInt64(6);
            }
        }

        if (hits.Count == 0 && offset > 0)
        {
            await using var count = Command($"{matches} SELECT count(*) FROM matches", parameters, transaction);
            total = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        var tags = new Dictionary<string, long>();
        var contentTypes = new Dictionary<string, long>();
        await using (var facets = Command($"""
            {matches}
            SELECT 'tag', tag, count(*) FROM matches, unnest(tags) AS tag GROUP BY tag
            UNION ALL
            SELECT 'contentType', content_type, count(*) FROM matches GROUP BY content_type
            """, parameters, transaction))
        await using (var reader = await facets.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                (reader.GetString(0) == "tag" ? tags : contentTypes)[reader.GetString(1)] = reader.GetInt64(2);
            }
        }

        var next = offset + hits.Count < total ? (offset + hits.Count).ToString(CultureInfo.InvariantCulture) : null;
        return new SearchResult(total, hits, tags, contentTypes, next);
    }

    /// <summary>
    /// Search as you type: a query that ends in a plain word (no space, quote or operator after it) also matches
    /// words that start with it, so <c>budg</c> finds <c>budget</c>.
    /// </summary>
    private static (string? Word, string Before) LastWordBeingTyped(string q)
    {
        var start = q.Length;
        while (start > 0 && char.IsLetterOrDigit(q[start - 1]))
        {
            start--;
        }

        var before = q[..start];
        return start == q.Length || (before.Length > 0 && !char.IsWhiteSpace(before[^1]))
            ? (null, q)
            : (q[start..], before);
    }

    private NpgsqlCommand Command(string sql, object?[] parameters, IDbContextTransaction transaction)
    {
        var command = new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        }

        return command;
    }

    private Error? Validate(SearchQuery query) => query switch
    {
        _ when string.IsNullOrWhiteSpace(query.Q) => Error.Invalid("q", "q must name what to search for."),
        { Q.Length: var length } when length > Limits.MaxQueryLength => Error.Invalid("q", $"q must be at most {Limits.MaxQueryLength} characters."),
        { Q: var q } when q!.Contains('\0') => Error.Invalid("q", "q must not contain NUL characters."),
        { Limit: { } l } when l < 1 || l > Limits.MaxPageSize => Error.Invalid("limit", $"limit must be 1 to {Limits.MaxPageSize}."),
        { Cursor: { } c } when !int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out _) => Error.Invalid("cursor", "cursor must be one returned by an earlier search."),
        _ => null,
    };
}
