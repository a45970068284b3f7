using System.Globalization;
using Dms.Common;
using Dms.Documents;
using Microsoft.Extensions.Options;

namespace Dms.Search;

/// <summary>
/// Searches a tenant's ready documents: checks the query, reads what is being typed, and pages by cursor; the
/// index does the matching, ranking, snippets and facets.
/// </summary>
public sealed class SearchService(ISearchIndex index, SearchFilters filters, IOptions<SearchOptions> options)
{
    private const int DefaultLimit = 20;
    private static readonly string Ready = SnakeCaseNames<DocumentStatus>.ToName(DocumentStatus.Ready);

    private SearchOptions Limits => options.Value;

    public async Task<Outcome<SearchResult>> SearchAsync(Guid tenantId, SearchQuery query, CancellationToken cancellationToken)
    {
        if (Validate(query) is { } invalid)
        {
            return invalid;
        }

        var terms = await filters.ReadAsync(tenantId, query.Q!, query.DocumentTypeId, query.CorrespondentId, query.Fields, cancellationToken);
        if (terms.Error is { } badTerm)
        {
            return badTerm;
        }

        // A trailing space ends the word being typed, so the words are trimmed only after looking for it.
        var words = terms.Value!.Words.Trim() + (char.IsWhiteSpace(query.Q![^1]) ? " " : "");
        var (typing, before) = LastWordBeingTyped(words, Limits.MinPrefixLength);
        var offset = query.Cursor is null ? 0 : int.Parse(query.Cursor, CultureInfo.InvariantCulture);
        var request = new SearchRequest(
            words.Trim(), typing, before, query.Tag?.Trim().ToLowerInvariant(), query.ContentType?.Trim().ToLowerInvariant(),
            query.CreatedFrom, query.CreatedTo, query.Limit ?? DefaultLimit, offset, terms.Value.Keys);
        SearchResult result;
        try
        {
            result = await index.SearchAsync(tenantId, request, cancellationToken);
        }
        catch (SearchTooBroadException)
        {
            return new Error(ErrorKind.Unprocessable, "search-too-broad",
                $"The search took longer than {Limits.StatementTimeout.TotalSeconds:0.###} s: add words or filters (tag, type, dates) to narrow it.");
        }

        var seen = offset + result.Hits.Count;
        return result with { NextCursor = seen < result.Total && result.Hits.Count > 0 ? seen.ToString(CultureInfo.InvariantCulture) : null };
    }

    /// <summary>
    /// Search as you type: a query that ends in a plain word (no space, quote or operator after it) also matches
    /// words that start with it, so <c>budg</c> finds <c>budget</c>; from <paramref name="minLength"/> letters, below
    /// which it is a whole word.
    /// </summary>
    private static (string? Word, string Before) LastWordBeingTyped(string q, int minLength)
    {
        var start = q.Length;
        while (start > 0 && char.IsLetterOrDigit(q[start - 1]))
        {
            start--;
        }

        var before = q[..start];
        return start == q.Length || q.Length - start < minLength || (before.Length > 0 && !char.IsWhiteSpace(before[^1]))
            ? (null, q)
            : (q[start..], before);
    }

    private Error? Validate(SearchQuery query) => query switch
    {
        _ when string.IsNullOrWhiteSpace(query.Q) => Error.Invalid("q", "q must name what to search for."),
        { Q.Length: var length } when length > Limits.MaxQueryLength => Error.Invalid("q", $"q must be at most {Limits.MaxQueryLength} characters."),
        { Q: var q } when q!.Contains('\0') => Error.Invalid("q", "q must not contain NUL characters."),
        { Tag: var tag } when tag?.Contains('\0') == true => Error.Invalid("tag", "tag must not contain NUL characters."),
        { ContentType: var type } when type?.Contains('\0') == true => Error.Invalid("contentType", "contentType must not contain NUL characters."),
        { Status: { } status } when !string.Equals(status.Trim(), Ready, StringComparison.OrdinalIgnoreCase) =>
            Error.Invalid("status", $"status can only be '{Ready}': search finds ready documents only (the document list filters by any status)."),
        { CreatedFrom: { } from, CreatedTo: { } to } when from > to => Error.Invalid("created-range", "createdFrom must not be after createdTo."),
        { Limit: { } l } when l < 1 || l > Limits.MaxPageSize => Error.Invalid("limit", $"limit must be 1 to {Limits.MaxPageSize}."),
        { Cursor: { } c } when !int.TryParse(c, NumberStyles.None, CultureInfo.InvariantCulture, out _) => Error.Invalid("cursor", "cursor must be one returned by an earlier search."),
        _ => null,
    };
}
