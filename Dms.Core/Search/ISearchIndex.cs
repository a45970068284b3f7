namespace Dms.Search;

/// <summary>
/// The search index port: PostgreSQL full-text search (the embedded default) or Elasticsearch (for deployments that
/// outgrow one database). It holds exactly the searchable documents: ready and not in the trash.
/// </summary>
public interface ISearchIndex
{
    /// <summary>
    /// Brings the index in line with the document as the caller's open transaction sees it: a ready document is
    /// indexed from its current version's stored text, any other (in the trash, in processing, purged) leaves it.
    /// Called by whatever changes a document, inside that change's transaction.
    /// </summary>
    Task IndexAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken);

    /// <summary>The same for a batch of documents of any tenants, in a transaction of its own; returns how many are indexed.</summary>
    Task<int> ReindexAsync(IReadOnlyList<Guid> documentIds, CancellationToken cancellationToken);

    /// <summary>One tenant's matches, best first; when no word matches, titles and file names like the words typed.</summary>
    Task<SearchResult> SearchAsync(Guid tenantId, SearchRequest request, CancellationToken cancellationToken);

    /// <summary>For <c>/health</c>: what answered (a description), or an exception saying why the index cannot be used.</summary>
    Task<string> CheckAsync(CancellationToken cancellationToken);
}
