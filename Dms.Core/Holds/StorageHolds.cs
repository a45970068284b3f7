using Dms.Persistence;
using Dms.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Dms.Holds;

/// <summary>
/// Makes storage keep what the legal holds keep: each pass sets the object's legal hold on every stored version of a
/// held document that storage does not hold yet (a hold just placed, a version added under it), and clears it on
/// every version storage holds for a document no hold covers any more, recording on the version what storage was
/// told. On S3 with Object Lock nobody — not Dms, not an operator's script — can then delete a held version; the
/// folder store refuses as well. A version storage refused is tried again by the next pass.
/// </summary>
public sealed partial class StorageHolds(DmsDbContext db, IBlobStore blobs, ILogger<StorageHolds> logger)
{
    public const int BatchSize = 500;

    private sealed record Pending(Guid TenantId, Guid DocumentId, int Version, string BlobKey, string? StorageVersionId, bool Held);

    /// <summary>One pass; how many versions were held and released in storage.</summary>
    public async Task<(int Held, int Released)> MirrorAsync(CancellationToken cancellationToken)
    {
        List<Pending> pending;
        await using (var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken))
        {
            pending = await db.Database.SqlQuery<Pending>($"""
                (SELECT v.tenant_id, v.document_id, v.version, v.blob_key, v.storage_version_id, true AS held
                 FROM document_versions v
                 WHERE v.completed_at IS NOT NULL AND NOT v.storage_held
                   AND EXISTS (SELECT FROM held_documents h WHERE h.document_id = v.document_id)
                 LIMIT {BatchSize})
                UNION ALL
                (SELECT v.tenant_id, v.document_id, v.version, v.blob_key, v.storage_version_id, false AS held
                 FROM document_versions v
                 WHERE v.storage_held AND NOT EXISTS (SELECT FROM held_documents h WHERE h.document_id = v.document_id)
                 LIMIT {BatchSize})
                """).ToListAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var (held, released) = (0, 0);
        foreach (var version in pending)
        {
            try
            {
                await blobs.SetLegalHoldAsync(version.BlobKey, version.StorageVersionId, version.Held, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRefused(logger, e, version.Held ? "set" : "clear", version.Version, version.DocumentId, version.TenantId);
                continue;
            }

            // What storage was told, whatever changed meanwhile: the next pass sets or clears what no longer matches.
            await using var transaction = await db.BeginTenantTransactionAsync(version.TenantId, cancellationToken);
            await db.DocumentVersions
                .Where(v => v.DocumentId == version.DocumentId && v.Version == version.Version)
                .ExecuteUpdateAsync(v => v.SetProperty(x => x.StorageHeld, version.Held), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            _ = version.Held ? held++ : released++;
        }

        return (held, released);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage did not {what} the legal hold of version {version} of document {documentId} (tenant {tenantId}); the next pass tries again")]
    private static partial void LogRefused(ILogger logger, Exception exception, string what, int version, Guid documentId, Guid tenantId);
}
