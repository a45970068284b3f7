using System.Data.Common;
using Dms.Contracts;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Dms.Persistence;

/// <summary>
/// Reads of one tenant's data in one round trip per query: while a <see cref="Scope"/> is open, every query the
/// context runs outside a transaction goes to the server with the tenant and viewer settings before it, in the same command
/// (<c>SELECT set_config(..., true); SELECT ...</c>). Npgsql sends both statements before one Sync, so PostgreSQL runs
/// them in one implicit transaction: the setting holds for that query only, and row-level security confines it as it
/// confines a tenant transaction — without the BEGIN, the separate setting and the COMMIT, three round trips where the
/// bare read makes one. Each query has its own snapshot, as each statement of a read-committed transaction has.
/// Anything but a query (a write, a scalar) in the scope is refused: writes belong in a tenant transaction. A command
/// that somehow went without the setting would see no tenant's rows, not another tenant's.
/// </summary>
public static class TenantReads
{
    private const string Parameter = "dms_tenant_read";
    private const string ViewerParameter = "dms_viewer_read";
    private const string Prefix = $"SELECT set_config('{DatabaseNames.TenantSetting}', @{Parameter}, true), set_config('{DatabaseNames.ViewerSetting}', @{ViewerParameter}, true);\n";

    /// <summary>Opens the scope on <paramref name="db"/>; disposing it ends it.</summary>
    public static Scope ReadAsTenant(this DmsDbContext db, Guid tenantId)
    {
        if (db.ReadingTenant is not null || db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("A tenant read scope opens on a context with no scope or transaction of its own.");
        }

        db.ReadingTenant = tenantId;
        return new Scope(db);
    }

    public readonly struct Scope(DmsDbContext db) : IDisposable
    {
        public void Dispose() => db.ReadingTenant = null;
    }

    /// <summary>Added to every <see cref="DmsDbContext"/>: it acts only on contexts in a read scope.</summary>
    public sealed class Interceptor : DbCommandInterceptor
    {
        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Prepend(command, eventData);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Prepend(command, eventData);
            return ValueTask.FromResult(result);
        }

        /// <summary>Moves past the setting's result to the query's.</summary>
        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        {
            if (IsPrepended(command))
            {
                result.NextResult();
            }

            return result;
        }

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(
            DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (IsPrepended(command))
            {
                await result.NextResultAsync(cancellationToken);
            }

            return result;
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
            InScope(command, eventData) ? throw NotAQuery() : result;

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            InScope(command, eventData) ? throw NotAQuery() : ValueTask.FromResult(result);

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
            InScope(command, eventData) ? throw NotAQuery() : result;

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
            InScope(command, eventData) ? throw NotAQuery() : ValueTask.FromResult(result);

        private static void Prepend(DbCommand command, CommandEventData eventData)
        {
            if (InScope(command, eventData) && eventData.Context is DmsDbContext { ReadingTenant: { } tenantId } db)
            {
                command.CommandText = Prefix + command.CommandText;
                command.Parameters.Add(new NpgsqlParameter(Parameter, tenantId.ToString()));
                command.Parameters.Add(new NpgsqlParameter(ViewerParameter, db.Viewer));
            }
        }

        private static bool InScope(DbCommand command, CommandEventData eventData) =>
            command.Transaction is null && eventData.Context is DmsDbContext { ReadingTenant: not null };

        private static bool IsPrepended(DbCommand command) => command.CommandText.StartsWith(Prefix, StringComparison.Ordinal);

        private static InvalidOperationException NotAQuery() =>
            new("Only queries run in a tenant read scope: write in a tenant transaction (BeginTenantTransactionAsync).");
    }
}
