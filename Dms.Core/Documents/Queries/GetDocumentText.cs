using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

/// <summary>The text the pipeline read from the current version of a document.</summary>
public sealed class GetDocumentText(DmsDbContext db)
{
    public async Task<Outcome<DocumentText>> HandleAsync(Guid tenantId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.ReadDocumentAsync(documentId, cancellationToken) is not { } document)
        {
            return DocumentErrors.NotFound;
        }

        if (document.Status is DocumentStatus.Quarantined)
        {
            return DocumentErrors.Quarantined(document);
        }

        var text = await db.DocumentTexts.AsNoTracking()
            .SingleOrDefaultAsync(t => t.DocumentId == documentId && t.Version == document.CurrentVersion, cancellationToken);
        return text is null
            ? new Error(ErrorKind.Conflict, "no-text-yet", $"The document is {SnakeCaseNames<DocumentStatus>.ToName(document.Status)}: no text has been extracted from it.")
            : text;
    }
}
