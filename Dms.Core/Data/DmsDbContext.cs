using Dms.Documents;
using Dms.Idempotency;
using Dms.Processing;
using Dms.Tenants;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dms.Data;

/// <summary>The metadata database: tenants and their documents. Migrations live in Dms.Migrations.</summary>
public sealed class DmsDbContext(DbContextOptions<DmsDbContext> options) : DbContext(options)
{
    /// <summary>The name of the connection string every process reads (ConnectionStrings:dms).</summary>
    public const string ConnectionName = "dms";

    public const string MigrationsAssembly = "Dms.Migrations";

    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<Document> Documents => Set<Document>();
    public DbSet<DocumentVersion> DocumentVersions => Set<DocumentVersion>();
    public DbSet<ProcessingJob> ProcessingJobs => Set<ProcessingJob>();
    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();

    /// <summary>The one place the provider, naming and migrations assembly are chosen, for the app and for design time.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options
            .UseNpgsql(dataSource, npgsql => npgsql.MigrationsAssembly(MigrationsAssembly))
            .UseSnakeCaseNamingConvention();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<Tenant>(tenant =>
        {
            tenant.ToTable("tenants", t =>
            {
                t.HasCheckConstraint("ck_tenants_storage_quota_bytes", "storage_quota_bytes >= 0");
                t.HasCheckConstraint("ck_tenants_retention_days", "retention_days >= 0");
                t.HasCheckConstraint("ck_tenants_used_bytes", "used_bytes >= 0");
            });
            tenant.Property(t => t.Name).HasMaxLength(200);
            tenant.Property(t => t.Plan).HasMaxLength(50);
            tenant.HasIndex(t => t.Name).IsUnique();
        });

        model.Entity<Document>(document =>
        {
            document.ToTable("documents", t =>
            {
                t.HasCheckConstraint("ck_documents_size_bytes", "size_bytes >= 0");
                t.HasCheckConstraint("ck_documents_status", $"status IN ({string.Join(", ", DocumentStatusNames.All.Select(s => $"'{s}'"))})");
                t.HasCheckConstraint("ck_documents_sha256", "sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'");
            });
            document.Property(d => d.Title).HasMaxLength(500);
            document.Property(d => d.FileName).HasMaxLength(255);
            document.Property(d => d.ContentType).HasMaxLength(255);
            document.Property(d => d.Sha256).HasMaxLength(64).IsFixedLength();
            document.Property(d => d.Status)
                .HasMaxLength(32)
                .HasConversion(s => DocumentStatusNames.ToName(s), s => DocumentStatusNames.Parse(s));
            document.Property(d => d.StatusBeforeDelete)
                .HasMaxLength(32)
                .HasConversion(s => s == null ? null : DocumentStatusNames.ToName(s.Value), s => s == null ? null : DocumentStatusNames.Parse(s));
            document.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Restrict);
            document.HasIndex(d => new { d.TenantId, d.CreatedAt });
            document.HasIndex(d => new { d.TenantId, d.Status });
            document.HasIndex(d => new { d.TenantId, d.Sha256 });
            document.HasIndex(d => d.Tags).HasMethod("gin");
        });

        model.Entity<DocumentVersion>(version =>
        {
            version.ToTable("document_versions", t => t.HasCheckConstraint("ck_document_versions_size_bytes", "size_bytes >= 0"));
            version.HasKey(v => new { v.DocumentId, v.Version });
            version.Property(v => v.FileName).HasMaxLength(255);
            version.Property(v => v.ContentType).HasMaxLength(255);
            version.Property(v => v.Sha256).HasMaxLength(64).IsFixedLength();
            version.Property(v => v.BlobKey).HasMaxLength(300);
            version.Property(v => v.UploadId).HasMaxLength(1024);
            version.HasOne<Document>().WithMany().HasForeignKey(v => v.DocumentId).OnDelete(DeleteBehavior.Cascade);
            version.HasIndex(v => v.UploadExpiresAt).HasFilter("completed_at IS NULL");
        });

        model.Entity<ProcessingJob>(job =>
        {
            job.ToTable("processing_jobs");
            job.Property(j => j.Id).UseIdentityAlwaysColumn();
            job.HasOne<Document>().WithMany().HasForeignKey(j => j.DocumentId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<IdempotencyRecord>(record =>
        {
            record.ToTable("idempotency_keys");
            record.HasKey(r => new { r.TenantId, r.Key });
            record.Property(r => r.Key).HasMaxLength(200);
            record.Property(r => r.RequestHash).HasMaxLength(64);
            record.Property(r => r.ResponseBody).HasColumnType("jsonb");
            record.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
