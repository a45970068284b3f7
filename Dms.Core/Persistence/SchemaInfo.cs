using Microsoft.EntityFrameworkCore;

namespace Dms.Persistence;

/// <summary>What the database says about itself: the last migration applied and the server version.</summary>
public sealed record SchemaInfo(string? SchemaVersion, int AppliedMigrations, string ServerVersion)
{
    public static async Task<SchemaInfo> ReadAsync(DmsDbContext db, CancellationToken cancellationToken)
    {
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        var serverVersion = await db.Database
            .SqlQueryRaw<string>("SELECT current_setting('server_version') AS \"Value\"")
            .SingleAsync(cancellationToken);
        return new SchemaInfo(applied.LastOrDefault(), applied.Count, serverVersion);
    }
}
