using Dms.Common;
using Dms.Documents;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Tenants;

/// <summary>What tenants store, by status: every tenant's (operators), or one's (its own users, or an operator): none when it does not exist.</summary>
public sealed class MeasureUsage(DmsDbContext db)
{
    public async Task<IReadOnlyList<TenantUsage>> HandleAsync(Guid? tenantId, CancellationToken cancellationToken)
    {
        await using var transaction = tenantId is { } id
            ? await db.BeginTenantTransactionAsync(id, cancellationToken)
            : await db.BeginCrossTenantTransactionAsync(cancellationToken);
        var tenants = await db.Tenants.AsNoTracking().Where(t => tenantId == null || t.Id == tenantId).OrderBy(t => t.Name).ToListAsync(cancellationToken);
        var byStatus = await db.Documents
            .GroupBy(d => new { d.TenantId, d.Status })
            .Select(g => new { g.Key.TenantId, g.Key.Status, Documents = g.Count(), Bytes = g.Sum(d => d.SizeBytes) })
            .ToListAsync(cancellationToken);
        return tenants.Select(tenant =>
        {
            var rows = byStatus.Where(row => row.TenantId == tenant.Id).ToList();
            return new TenantUsage(
                tenant.Id,
                tenant.Name,
                tenant.StorageQuotaBytes,
                tenant.UsedBytes,
                rows.Where(row => row.Status != DocumentStatus.Deleted).Sum(row => row.Documents),
                rows.ToDictionary(row => SnakeCaseNames<DocumentStatus>.ToName(row.Status), row => new StatusUsage(row.Documents, row.Bytes)));
        }).ToList();
    }
}
