using System.Data.Common;
using Dms.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Dms.Identity.Accounts;

/// <summary>
/// The provider's tables, in their own schema (<c>identity</c>): ASP.NET Core Identity's users and OpenIddict's
/// applications, authorizations and tokens. Only the provider's role reaches them; the API's role does not.
/// </summary>
public sealed class IdentityDatabase(DbContextOptions<IdentityDatabase> options) : IdentityDbContext<DmsUser>(options)
{
    public const string Schema = Dms.Contracts.DatabaseNames.IdentitySchema;

    public const string ConnectionName = "identity";

    /// <summary>ASP.NET Core Identity's tables with passkeys (WebAuthn credentials) beside passwords and authenticator keys.</summary>
    public static readonly Version IdentitySchema = IdentitySchemaVersions.Version3;

    public DbSet<ProviderSession> Sessions => Set<ProviderSession>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.HasDefaultSchema(Schema);
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        builder.Entity<DmsUser>(user =>
        {
            user.Property(u => u.Role).HasMaxLength(32);
            user.HasIndex(u => u.TenantId);
        });
        builder.Entity<ProviderSession>(session =>
        {
            session.ToTable("sessions");
            session.Property(s => s.Id).HasMaxLength(64);
            session.HasIndex(s => s.UserId);
            session.HasIndex(s => s.ExpiresAt);
            session.Property(s => s.UserAgent).HasMaxLength(ProviderSessions.UserAgentLength);
            session.Property(s => s.Address).HasMaxLength(64);
        });
    }

    /// <summary>
    /// After PostgreSQL restarts, the pool's connections are dead: the first command that meets one empties the pool
    /// (<see cref="DatabaseOutages"/>) and is tried again on a new connection, so a sign-in is not a 500.
    /// </summary>
    public static void Configure(DbContextOptionsBuilder options, string connectionString) => options
        .UseNpgsql(connectionString, npgsql => npgsql
            .MigrationsHistoryTable("__ef_migrations_history", Schema)
            .EnableRetryOnFailure(maxRetryCount: 3, maxRetryDelay: TimeSpan.FromSeconds(2), errorCodesToAdd: null))
        .UseSnakeCaseNamingConvention()
        .UseOpenIddict()
        .AddInterceptors(new ForgetDeadConnections());

    private sealed class ForgetDeadConnections : DbCommandInterceptor
    {
        public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Forget(command, eventData.Exception);

        public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Forget(command, eventData.Exception);
            return Task.CompletedTask;
        }

        private static void Forget(DbCommand command, Exception exception)
        {
            if (DatabaseOutages.IsOutage(exception) && command.Connection is NpgsqlConnection connection)
            {
                NpgsqlConnection.ClearPool(connection);
            }
        }
    }
}
