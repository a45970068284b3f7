using Dms.Audit;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Permissions;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.Documents.Uploads;

/// <summary>Starts a new version of a document: reserves its size and says where to upload its bytes.</summary>
public sealed class AddVersion(DmsDbContext db, UploadReservation reservation, AuditTrail audit, IOptions<DocumentOptions> options, TimeProvider time)
{
    public async Task<Outcome<PendingUpload>> HandleAsync(Guid tenantId, Guid documentId, UploadRequest request, CancellationToken cancellationToken)
    {
        if (request.Validate(options.Value) is { } invalid)
        {
            return invalid;
        }

        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.Documents.SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken) is not { } document)
        {
            return DocumentErrors.NotFound;
        }

        if (!await DocumentAccess.MayEditAsync(db, document, cancellationToken))
        {
            return DocumentAccess.ReadOnly;
        }

        if (document.RefusesUpload() is { } refused)
        {
            return refused;
        }

        var versions = await db.DocumentVersions.Where(v => v.DocumentId == documentId).ToListAsync(cancellationToken);
        if (versions.Any(v => v.CompletedAt is null))
        {
            return new Error(ErrorKind.Conflict, "upload-in-progress",
                "A version of this document is still waiting for its upload: complete it (or let it expire) first.");
        }

        var version = reservation.AddVersion(document, versions.Max(v => v.Version) + 1, request, time.GetUtcNow());
        audit.Changed(tenantId, AuditActions.Versioned, documentId, version.Version, new { version.FileName, version.ContentType, version.SizeBytes });
        return await reservation.ReserveAndCommitAsync(transaction, document, version, cancellationToken);
    }
}
