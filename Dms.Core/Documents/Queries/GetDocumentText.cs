using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

/// <summary>The text the pipeline read from the current version of a document; none from a quarantined one.</summary>
public sealed class GetDocumentText(DmsDbContext db, DocumentReads reads)
{
    public Task<Outcome<DocumentText>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken) =>
        reads.ReadAsync(tenantId, documentId, async document =>
        {
            if (document.Status is DocumentStatus.Quarantined)
            {
                return DocumentErrors.Quarantined(document);
            }

            var text = await db.DocumentTexts.AsNoTracking()
                .SingleOrDefaultAsync(t => t.DocumentId == documentId && t.Version == document.CurrentVersion, cancellationToken);
            return text is null
                ? new Error(ErrorKind.Conflict, "no-text-yet", $"The document is {SnakeCaseNames<DocumentStatus>.ToName(document.Status)}: no text has been extracted from it.")
                : (Outcome<DocumentText>)text;
        }, cancellationToken);
}
