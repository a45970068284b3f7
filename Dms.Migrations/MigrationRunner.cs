using Dms.Contracts;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Dms.Migrations;

/// <summary>Applies, reverts and lists the EF Core migrations of <see cref="DmsDbContext"/>, saying what it did.</summary>
public sealed class MigrationRunner : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly DmsDbContext _db;
    private readonly TextWriter _output;

    public MigrationRunner(string connectionString, TextWriter output)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        var options = new DbContextOptionsBuilder<DmsDbContext>();
        DmsDbContext.Configure(options, _dataSource);
        _db = new DmsDbContext(options.Options);
        _output = output;
    }

    public async Task<int> UpAsync(string? appPassword = null, string? webPassword = null, Guid? demoTenantId = null, string? identityPassword = null)
    {
        var pending = await PendingAsync();
        if (pending.Count > 0)
        {
            // Migrate creates the database when it does not exist yet, then applies each migration in its own transaction.
            await _db.Database.MigrateAsync();
            foreach (var migration in pending)
            {
                _output.WriteLine($"Applied {migration}");
            }
        }

        _output.WriteLine($"Database is up to date at {await CurrentAsync() ?? "(no migrations)"}.");
        if (appPassword is not null)
        {
            await EnableLoginAsync(DatabaseNames.AppRole, appPassword);
        }

        if (webPassword is not null)
        {
            await EnableLoginAsync(DatabaseNames.WebRole, webPassword);
        }

        if (identityPassword is not null)
        {
            await EnableLoginAsync(DatabaseNames.IdentityRole, identityPassword);
        }

        if (demoTenantId is { } tenantId)
        {
            await AddDemoTenantAsync(tenantId);
        }

        return RunnerCommand.Succeeded;
    }

    /// <summary>The migrations create dms_app, dms_web and dms_identity without a login; the passwords are the deployment's, never a migration's.</summary>
    private async Task EnableLoginAsync(string role, string password)
    {
        // ALTER ROLE takes no parameters: the password goes in as a quoted literal.
        var sql = "ALTER ROLE " + role + " WITH LOGIN PASSWORD '" + password.Replace("'", "''", StringComparison.Ordinal) + "'";
        await _db.Database.ExecuteSqlRawAsync(sql);
        _output.WriteLine($"Role {role} can log in.");
    }

    /// <summary>The tenant the local identity provider's demo users belong to; row-level security binds the owner too.</summary>
    private async Task AddDemoTenantAsync(Guid tenantId)
    {
        await using var transaction = await _db.BeginCrossTenantTransactionAsync(CancellationToken.None);
        var added = await _db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO tenants (id, name, plan, storage_quota_bytes, retention_days, created_at, used_bytes)
            VALUES ({tenantId}, 'Demo', 'demo', {10L << 30}, 30, now(), 0)
            ON CONFLICT DO NOTHING
            """);
        await transaction.CommitAsync();
        _output.WriteLine(added == 1 ? $"Added the demo tenant {tenantId}." : $"The demo tenant {tenantId} is there.");
    }

    public async Task<int> DownAsync(string? target)
    {
        var applied = await AppliedAsync();
        if (applied.Count == 0)
        {
            _output.WriteLine("Nothing to roll back: no migration is applied.");
            return RunnerCommand.Succeeded;
        }

        var to = target is null
            ? applied.Count > 1 ? applied[^2] : Migration.InitialDatabase
            : ResolveAppliedTarget(applied, target);
        var reverted = to == Migration.InitialDatabase ? applied : applied.SkipWhile(id => id != to).Skip(1).ToList();
        if (reverted.Count == 0)
        {
            _output.WriteLine($"Nothing to roll back: {to} is the last applied migration.");
            return RunnerCommand.Succeeded;
        }

        await _db.GetService<IMigrator>().MigrateAsync(to);
        foreach (var migration in Enumerable.Reverse(reverted))
        {
            _output.WriteLine($"Reverted {migration}");
        }

        _output.WriteLine($"Database is now at {(to == Migration.InitialDatabase ? "no migration" : to)}.");
        return RunnerCommand.Succeeded;
    }

    public async Task<int> StatusAsync()
    {
        var applied = await AppliedAsync();
        var pending = await PendingAsync();
        foreach (var migration in applied)
        {
            _output.WriteLine($"applied  {migration}");
        }

        foreach (var migration in pending)
        {
            _output.WriteLine($"pending  {migration}");
        }

        _output.WriteLine($"{applied.Count} applied, {pending.Count} pending.");
        return RunnerCommand.Succeeded;
    }

    private string ResolveAppliedTarget(IReadOnlyList<string> applied, string target)
    {
        if (target == Migration.InitialDatabase)
        {
            return target;
        }

        var known = _db.Database.GetMigrations().ToList();
        var match = known.FirstOrDefault(id => id == target || id.EndsWith('_' + target, StringComparison.Ordinal))
            ?? throw new ArgumentException($"No migration named '{target}'. Known: {string.Join(", ", known)}.");
        return applied.Contains(match)
            ? match
            : throw new ArgumentException($"Migration '{match}' is not applied, so there is nothing to roll back to it.");
    }

    private async Task<string?> CurrentAsync() => (await AppliedAsync()).LastOrDefault();

    private async Task<IReadOnlyList<string>> AppliedAsync() =>
        await DatabaseExistsAsync() ? (await _db.Database.GetAppliedMigrationsAsync()).ToList() : [];

    private async Task<IReadOnlyList<string>> PendingAsync() =>
        await DatabaseExistsAsync() ? (await _db.Database.GetPendingMigrationsAsync()).ToList() : _db.Database.GetMigrations().ToList();

    private Task<bool> DatabaseExistsAsync() => _db.GetService<IRelationalDatabaseCreator>().ExistsAsync();

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
