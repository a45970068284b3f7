namespace Dms.Search;

/// <summary>
/// The search index port: PostgreSQL full-text search here (Elasticsearch for deployments that outgrow one
/// database). The pipeline's last step hands it each document version's stored text.
/// </summary>
public interface ISearchIndex
{
    Task IndexAsync(Guid tenantId, Guid documentId, int version, CancellationToken cancellationToken);
}
