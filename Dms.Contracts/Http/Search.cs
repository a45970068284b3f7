namespace Dms.Contracts.Http;

/// <param name="Snippets">HTML-safe by contract: the document's text HTML-escaped, the matched words in &lt;mark&gt;, no other markup.</param>
public sealed record SearchHit(Guid DocumentId, string Title, string FileName, double Score, IReadOnlyList<string> Snippets, DateTimeOffset CreatedAt);

/// <param name="TotalIsLowerBound">More documents match than a search ranks and counts: narrow the query to see them all.</param>
/// <param name="DocumentTypeFacets">How many matches have each document type, by its id.</param>
/// <param name="CorrespondentFacets">How many matches have each correspondent, by its id.</param>
/// <param name="OptionFacets">How many matches have each option of a select or multi-select field chosen, by the option's id.</param>
public sealed record SearchResponse(
    long Total, IReadOnlyList<SearchHit> Hits, IReadOnlyDictionary<string, long> TagFacets, IReadOnlyDictionary<string, long> ContentTypeFacets, string? NextCursor,
    bool TotalIsLowerBound, IReadOnlyDictionary<Guid, long> DocumentTypeFacets, IReadOnlyDictionary<Guid, long> CorrespondentFacets,
    IReadOnlyDictionary<Guid, long> OptionFacets);

/// <summary>One batch of a rebuild of the search index: call again with <see cref="NextCursor"/> until it is null.</summary>
public sealed record ReindexProgress(int Processed, int Indexed, Guid? NextCursor, long Remaining);
