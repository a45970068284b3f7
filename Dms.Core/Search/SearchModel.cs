namespace Dms.Search;

/// <summary>What a caller asks for, as the API takes it (every field unchecked).</summary>
public sealed record SearchQuery(
    string? Q, string? Tag = null, string? ContentType = null, string? Status = null,
    DateTimeOffset? CreatedFrom = null, DateTimeOffset? CreatedTo = null, int? Limit = null, string? Cursor = null,
    Guid? DocumentTypeId = null, Guid? CorrespondentId = null, IReadOnlyList<string>? Fields = null);

/// <summary>
/// A checked query for an index: <see cref="Text"/> in web search syntax (<c>"a phrase"</c>, <c>or</c>,
/// <c>-word</c>); when it ends in a word being typed, <see cref="Typing"/> is that word, to match as a prefix after
/// the words <see cref="Before"/> it. <see cref="Keys"/> are the document's keys it must have (or not), all of them
/// (<see cref="SearchKeys"/>); with keys, <see cref="Text"/> may be empty.
/// </summary>
public sealed record SearchRequest(
    string Text, string? Typing, string Before, string? Tag, string? ContentType,
    DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo, int Limit, int Offset, IReadOnlyList<SearchKey>? Keys = null)
{
    public IReadOnlyList<SearchKey> Keys { get; init; } = Keys ?? [];
}

/// <summary>One hit: its score and up to two snippets of its text with the matched words between <c>&lt;mark&gt;</c> tags.</summary>
public sealed record SearchHit(Guid DocumentId, string Title, string FileName, double Score, IReadOnlyList<string> Snippets, DateTimeOffset CreatedAt);

/// <param name="TotalIsLowerBound">
/// The matches were more than the index ranks and counts (<see cref="SearchOptions.MaxCandidates"/>): the hits are the
/// best of the first ones found, and the total and facets count those.
/// </param>
/// <param name="Keys">The facets of what describes the matches: how many have each type, correspondent and option key.</param>
public sealed record SearchResult(
    long Total, IReadOnlyList<SearchHit> Hits, IReadOnlyDictionary<string, long> Tags, IReadOnlyDictionary<string, long> ContentTypes, string? NextCursor,
    bool TotalIsLowerBound = false, IReadOnlyDictionary<string, long>? Keys = null)
{
    public IReadOnlyDictionary<string, long> Keys { get; init; } = Keys ?? new Dictionary<string, long>();
}

/// <summary>The index gave up on a query that would cost more than its statement timeout.</summary>
public sealed class SearchTooBroadException(Exception inner) : Exception("The search took longer than its statement timeout.", inner);
