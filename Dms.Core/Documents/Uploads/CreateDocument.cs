using Dms.Audit;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Persistence;
using Microsoft.Extensions.Options;

namespace Dms.Documents.Uploads;

/// <summary>Creates a document and its first version, reserving its size against the quota, and says where to upload its bytes.</summary>
public sealed class CreateDocument(DmsDbContext db, UploadReservation reservation, AuditTrail audit, IOptions<DocumentOptions> options, TimeProvider time)
{
    public sealed record Command(string? FileName, string? ContentType, long? SizeBytes, string? Sha256, string? Title, string[]? Tags)
    {
        public UploadRequest Upload => new(FileName, ContentType, SizeBytes, Sha256);
    }

    public async Task<Outcome<PendingUpload>> HandleAsync(Guid tenantId, Command command, CancellationToken cancellationToken)
    {
        if ((command.Upload.Validate(options.Value) ?? DocumentMetadata.Validate(command.Title, command.Tags, options.Value)) is { } invalid)
        {
            return invalid;
        }

        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var now = time.GetUtcNow();
        var duplicateOf = await reservation.FindDuplicateAsync(command.Upload.NormalizedSha256, null, cancellationToken);
        var document = Document.Create(tenantId, command.Upload, command.Title, command.Tags, duplicateOf, audit.Actor.Kind == AuditActor.User ? audit.Actor.Id : null, now);
        db.Documents.Add(document);
        audit.Changed(tenantId, AuditActions.DocumentCreated, document.Id, 1, new { document.FileName, document.ContentType, document.SizeBytes });
        return await reservation.ReserveAndCommitAsync(transaction, document, reservation.AddVersion(document, 1, command.Upload, now), cancellationToken);
    }
}
