namespace Dms.Contracts.Http;

/// <param name="Snippets">HTML-safe by contract: the document's text HTML-escaped, the matched words in &lt;mark&gt;, no other markup.</param>
public sealed record SearchHit(Guid DocumentId, string Title, string FileName, double Score, IReadOnlyList<string> Snippets, DateTimeOffset CreatedAt);

/// <param name="TotalIsLowerBound">More documents match than a search ranks and counts: narrow the query to see them all.</param>
public sealed record SearchResponse(
    long Total, IReadOnlyList<SearchHit> Hits, IReadOnlyDictionary<string, long> TagFacets, IReadOnlyDictionary<string, long> ContentTypeFacets, string? NextCursor,
    bool TotalIsLowerBound);

/// <summary>One batch of a rebuild of the search index: call again with <see cref="NextCursor"/> until it is null.</summary>
public sealed record ReindexProgress(int Processed, int Indexed, Guid? NextCursor, long Remaining);
