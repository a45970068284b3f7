namespace Dms.Search;

/// <summary>
/// The search index port: PostgreSQL full-text search here (Elasticsearch for deployments that outgrow one
/// database). The pipeline's last step hands it each document version's stored text.
/// </summary>
public interface ISearchIndex
{
    Task IndexAsync(Guid tenantId, Guid documentId, int version, CancellationToken cancellationToken);

    /// <summary>Indexes the current versions of these documents again from their stored text, in one go.</summary>
    Task ReindexAsync(IReadOnlyList<Guid> documentIds, CancellationToken cancellationToken);
}
