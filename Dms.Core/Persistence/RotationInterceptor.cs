using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Dms.Persistence;

/// <summary>EF Core's connections, opened as <see cref="DatabaseConnections"/> opens them: waiting out a password rotation.</summary>
public sealed class RotationInterceptor(DatabaseConnections connections) : DbConnectionInterceptor
{
    public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(
        DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        await connections.OpenAsync((NpgsqlConnection)connection, cancellationToken);
        return InterceptionResult.Suppress();
    }

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        connections.OpenAsync((NpgsqlConnection)connection, CancellationToken.None).GetAwaiter().GetResult();
        return InterceptionResult.Suppress();
    }
}
