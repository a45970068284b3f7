using Dms.Tenants;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dms.Persistence;

/// <summary>Saving a tenant: the database's unique index on the name is the check, so two operators cannot both take one.</summary>
public static class TenantRows
{
    /// <returns>Null when saved; the conflict when another tenant has the name.</returns>
    public static async Task<Common.Error?> SaveTenantAsync(this DmsDbContext db, Tenant tenant, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return TenantErrors.NameTaken(tenant.Name);
        }
    }
}
