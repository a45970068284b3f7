using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Dms.Identity.Accounts;

/// <summary>
/// The provider's tables, in their own schema (<c>identity</c>): ASP.NET Core Identity's users and OpenIddict's
/// applications, authorizations and tokens. Only the provider's role reaches them; the API's role does not.
/// </summary>
public sealed class IdentityDatabase(DbContextOptions<IdentityDatabase> options) : IdentityDbContext<DmsUser>(options)
{
    public const string Schema = Dms.Contracts.DatabaseNames.IdentitySchema;

    public const string ConnectionName = "identity";

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
        });
    }

    public static void Configure(DbContextOptionsBuilder options, string connectionString) => options
        .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history", Schema))
        .UseSnakeCaseNamingConvention()
        .UseOpenIddict();
}
