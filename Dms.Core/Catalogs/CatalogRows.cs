using System.Linq.Expressions;
using Dms.Common;
using Dms.Documents;
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

    /// <summary>
    /// The entry to change (<paramref name="id"/>), or a new one added to the context (none); inside the caller's tenant
    /// transaction, where another tenant's entry is not there to be found.
    /// </summary>
    public static async Task<Outcome<T>> FindOrAddAsync<T>(
        this DbSet<T> entries, Guid? id, Func<T> create, int limit, string what, Error notFound, CancellationToken cancellationToken)
        where T : class, ICatalogEntry
    {
        if (id is { } existing)
        {
            return await entries.SingleOrDefaultAsync(e => e.Id == existing, cancellationToken) is { } found ? found : notFound;
        }

        if (await entries.RefuseBeyondAsync(limit, what, cancellationToken) is { } full)
        {
            return full;
        }

        var added = create();
        entries.Add(added);
        return added;
    }

    /// <summary>
    /// Removes an entry in its tenant's transaction, after <paramref name="unlink"/> made the documents that named it
    /// name none (what a removal keeps of them is the use case's to say).
    /// </summary>
    public static async Task<Error?> RemoveEntryAsync<T>(
        this DmsDbContext db, Guid tenantId, IQueryable<T> entry, Func<IQueryable<Document>, CancellationToken, Task>? unlink, Error notFound, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (unlink is not null)
        {
            await unlink(db.Documents.IgnoreAutoIncludes(), cancellationToken);
        }

        if (await entry.ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return notFound;
        }

        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    /// <summary>The tenant's entries by name, read as the tenant; with <paramref name="count"/>, each with what <paramref name="counted"/> says of it.</summary>
    public static async Task<IReadOnlyList<Counted<T>>> ListCountedAsync<T>(
        this DmsDbContext db, Guid tenantId, IQueryable<T> entries, bool count, Expression<Func<T, Counted<T>>> counted, CancellationToken cancellationToken)
        where T : class, ICatalogEntry
    {
        using var scope = db.ReadAsTenant(tenantId);
        var ordered = entries.AsNoTracking().OrderBy(e => e.Name);
        return count
            ? await ordered.Select(counted).ToListAsync(cancellationToken)
            : (await ordered.ToListAsync(cancellationToken)).Select(e => new Counted<T>(e, null)).ToList();
    }
}
