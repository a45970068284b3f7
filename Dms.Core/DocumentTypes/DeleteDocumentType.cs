using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.DocumentTypes;

/// <summary>Removes a document type; its documents keep their field values and have no type.</summary>
public sealed class DeleteDocumentType(DmsDbContext db)
{
    public async Task<Error?> HandleAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        await db.Documents.Where(d => d.DocumentTypeId == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.DocumentTypeId, (Guid?)null), cancellationToken);
        if (await db.DocumentTypes.Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return SaveDocumentType.NotFound;
        }

        await transaction.CommitAsync(cancellationToken);
        return null;
    }
}
