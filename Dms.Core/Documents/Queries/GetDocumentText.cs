using Dms.Contracts.Http;
using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

/// <summary>The text the pipeline read from the current version of a document; only once the scan passed its bytes.</summary>
public sealed class GetDocumentText(DmsDbContext db, DocumentReads reads)
{
    public Task<Outcome<DocumentText>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) =>
        reads.ReadAsync(tenantId, documentId, AuditActions.TextRead, async document =>
        {
            var current = await db.DocumentVersions.AsNoTracking()
                .SingleAsync(v => v.DocumentId == documentId && v.Version == document.CurrentVersion, cancellationToken);
            if (current.RefusesReading() is { } refused)
            {
                return refused;
            }

            var text = await db.DocumentTexts.AsNoTracking()
                .SingleOrDefaultAsync(t => t.DocumentId == documentId && t.Version == document.CurrentVersion, cancellationToken);
            return text is null
                ? new Error(ErrorKind.Conflict, "no-text-yet", $"The document is {SnakeCaseNames<DocumentStatus>.ToName(document.Status)}: no text has been extracted from it.")
                : (Outcome<DocumentText>)text;
        }, cancellationToken);
}
