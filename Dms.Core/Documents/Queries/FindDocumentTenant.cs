using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

/// <summary>For operators, who act on a document by its id alone: the tenant it belongs to, if it exists.</summary>
public sealed class FindDocumentTenant(DmsDbContext db)
{
    public async Task<Outcome<Guid>> HandleAsync(Guid documentId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
        return await db.Documents.Where(d => d.Id == documentId).Select(d => (Guid?)d.TenantId).SingleOrDefaultAsync(cancellationToken) is { } tenantId
            ? tenantId
            : DocumentErrors.NotFound;
    }
}
