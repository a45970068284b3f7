using Dms.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.Search;

/// <summary>
/// Indexes a version's stored text as a weighted tsvector (body weight C; title, file name and tags have their own
/// generated vector on the document, weights A and B, so renaming needs no reindex).
/// </summary>
public sealed class PostgresSearchIndex(DmsDbContext db, IOptions<SearchOptions> options) : ISearchIndex
{
    public async Task IndexAsync(Guid tenantId, Guid documentId, int version, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var indexed = await db.Database.ExecuteSqlAsync($"""
            UPDATE document_texts
            SET search_vector = setweight(to_tsvector('english', dms_unaccent(left(text, {options.Value.MaxIndexedCharacters}))), 'C')
            WHERE document_id = {documentId} AND version = {version}
            """, cancellationToken);
        if (indexed == 0)
        {
            throw new InvalidOperationException($"Version {version} of document {documentId} has no stored text to index.");
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task ReindexAsync(IReadOnlyList<Guid> documentIds, CancellationToken cancellationToken)
    {
        var ids = documentIds.ToArray();
        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE document_texts t
            SET search_vector = setweight(to_tsvector('english', dms_unaccent(left(t.text, {options.Value.MaxIndexedCharacters}))), 'C')
            FROM documents d
            WHERE d.id = ANY({ids}) AND t.document_id = d.id AND t.version = d.current_version
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
