using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dms.Catalogs;

/// <summary>Saving a catalog entry: the unique index on (tenant, lower(name)) is the check, so two people cannot both take a name.</summary>
public static class CatalogRows
{
    /// <returns>Null when saved; the conflict when the tenant has another <paramref name="what"/> of that name.</returns>
    public static async Task<Error?> SaveEntryAsync(this DmsDbContext db, ICatalogEntry entry, string what, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return new Error(ErrorKind.Conflict, "name-taken", $"There is already a {what} named '{StorableText.Quoted(entry.Name)}'.");
        }
    }

    /// <summary>Refuses a new entry once the tenant has <paramref name="limit"/> of them.</summary>
    public static async Task<Error?> RefuseBeyondAsync<T>(this IQueryable<T> entries, int limit, string what, CancellationToken cancellationToken) =>
        await entries.CountAsync(cancellationToken) >= limit
            ? new Error(ErrorKind.Conflict, "too-many", $"A tenant may define at most {limit} {what}s.")
            : null;
}
