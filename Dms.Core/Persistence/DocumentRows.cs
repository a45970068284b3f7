using Dms.Documents;
using Microsoft.EntityFrameworkCore;

namespace Dms.Persistence;

/// <summary>
/// The row locks and the conditional delete the document use cases need, in SQL because EF Core's LINQ has no
/// <c>FOR UPDATE</c> and no <c>DELETE ... RETURNING</c>: each in the caller's tenant transaction.
/// </summary>
public static class DocumentRows
{
    /// <summary>The document, locked until the transaction ends (a purge and a concurrent change cannot interleave).</summary>
    public static async Task<Document?> LockDocumentAsync(this DmsDbContext db, Guid documentId, CancellationToken cancellationToken) =>
        (await db.Documents.FromSql($"SELECT * FROM documents WHERE id = {documentId} FOR UPDATE").ToListAsync(cancellationToken)).SingleOrDefault();

    /// <summary>
    /// The version of the document still waiting for its bytes, locked: the sweeper's release of an expired upload
    /// waits for the completing transaction, then finds it completed.
    /// </summary>
    public static async Task<DocumentVersion?> LockPendingVersionAsync(this DmsDbContext db, Guid documentId, CancellationToken cancellationToken) =>
        (await db.DocumentVersions.FromSql($"SELECT * FROM document_versions WHERE document_id = {documentId} AND completed_at IS NULL FOR UPDATE")
            .ToListAsync(cancellationToken)).SingleOrDefault();

    /// <summary>
    /// Deletes the version if its upload is still not completed and expired before <paramref name="now"/>, and
    /// returns it; one conditional delete, so a complete that locked the row first and committed leaves nothing.
    /// </summary>
    public static async Task<DocumentVersion?> DeleteExpiredUploadAsync(
        this DmsDbContext db, Guid documentId, int version, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await db.DocumentVersions.FromSql($"""
            DELETE FROM document_versions
            WHERE document_id = {documentId} AND version = {version} AND completed_at IS NULL AND upload_expires_at < {now}
            RETURNING *
            """).AsNoTracking().ToListAsync(cancellationToken)).SingleOrDefault();
}
