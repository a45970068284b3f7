using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Fields;

/// <summary>Removes a custom field with every document's value of it and its place in the document types.</summary>
public sealed class DeleteField(DmsDbContext db)
{
    public async Task<Error?> HandleAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.CustomFields.Where(f => f.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return SaveField.NotFound;
        }

        await transaction.CommitAsync(cancellationToken);
        return null;
    }
}
