using Dms.Contracts;
using System.Text.Json;
using Dms.Audit;
using Dms.Common;
using Dms.Correspondents;
using Dms.Documents;
using Dms.Documents.Lifecycle;
using Dms.DocumentTypes;
using Dms.Fields;
using Dms.Holds;
using Dms.Idempotency;
using Dms.Notes;
using Dms.Operations;
using Dms.Permissions;
using Dms.Previews;
using Dms.Processing;
using Dms.Queue;
using Dms.SavedViews;
using Dms.Sharing;
using Dms.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Npgsql;

namespace Dms.Persistence;

/// <summary>The metadata database: tenants and their documents. Migrations live in Dms.Migrations.</summary>
public sealed class DmsDbContext(DbContextOptions<DmsDbContext> options) : DbContext(options)
{
    public const string MigrationsAssembly = "Dms.Migrations";

    /// <summary>The longest user id (a token's subject) kept for an owner, a member or a grantee.</summary>
    public const int UserIdLength = 255;

    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<Document> Documents => Set<Document>();
    public DbSet<DocumentVersion> DocumentVersions => Set<DocumentVersion>();
    public DbSet<ProcessingJob> ProcessingJobs => Set<ProcessingJob>();
    public DbSet<QueueTurn> QueueTurns => Set<QueueTurn>();
    public DbSet<ProcessingStep> ProcessingSteps => Set<ProcessingStep>();
    public DbSet<DocumentText> DocumentTexts => Set<DocumentText>();
    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();
    public DbSet<OperationEvent> OperationEvents => Set<OperationEvent>();
    public DbSet<PageRendering> PageRenderings => Set<PageRendering>();

    public DbSet<BytesPurge> BytesPurges => Set<BytesPurge>();

    public DbSet<DocumentType> DocumentTypes => Set<DocumentType>();
    public DbSet<Correspondent> Correspondents => Set<Correspondent>();
    public DbSet<CustomField> CustomFields => Set<CustomField>();
    public DbSet<FieldValue> FieldValues => Set<FieldValue>();
    public DbSet<Note> Notes => Set<Note>();
    public DbSet<SavedView> SavedViews => Set<SavedView>();

    public DbSet<LegalHold> LegalHolds => Set<LegalHold>();
    public DbSet<HeldDocument> HeldDocuments => Set<HeldDocument>();

    public DbSet<Group> Groups => Set<Group>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();
    public DbSet<DocumentGrant> DocumentGrants => Set<DocumentGrant>();
    public DbSet<ShareLink> ShareLinks => Set<ShareLink>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<AuditSeal> AuditSeals => Set<AuditSeal>();

    public DbSet<AuditArchiveFile> AuditArchiveFiles => Set<AuditArchiveFile>();

    /// <summary>The tenant whose rows the queries outside a transaction read (<see cref="TenantReads"/>); null outside a read scope.</summary>
    internal Guid? ReadingTenant { get; set; }

    /// <summary>
    /// Who reads the tenant's documents through this context (<see cref="DatabaseNames.ViewerSetting"/>): the api names
    /// the user of each request who is not a tenant admin; everyone else (admins, the worker, operators) sees every
    /// document of the tenant.
    /// </summary>
    public string Viewer { get; set; } = DatabaseNames.EveryDocument;

    /// <summary>A pooled context goes back to the pool with no read scope, even one its user left open, and no viewer.</summary>
    public override void Dispose()
    {
        ReadingTenant = null;
        Viewer = DatabaseNames.EveryDocument;
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        ReadingTenant = null;
        Viewer = DatabaseNames.EveryDocument;
        return base.DisposeAsync();
    }

    /// <summary>The one place the provider, naming and migrations assembly are chosen, for the app and for design time.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options
            .UseNpgsql(dataSource, npgsql => npgsql.MigrationsAssembly(MigrationsAssembly))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(ReadInterceptor);

    private static readonly TenantReads.Interceptor ReadInterceptor = new();

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
                t.HasCheckConstraint("ck_documents_status", SnakeCaseNames<DocumentStatus>.CheckSql("status"));
                t.HasCheckConstraint("ck_documents_sha256", "sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'");
            });
            document.Property(d => d.Title).HasMaxLength(500);
            document.Property(d => d.FileName).HasMaxLength(255);
            document.Property(d => d.ContentType).HasMaxLength(255);
            document.Property(d => d.Sha256).HasMaxLength(64).IsFixedLength();
            document.Property(d => d.Status).HasMaxLength(32).HasSnakeCaseConversion();
            document.Property(d => d.FailureReason).HasMaxLength(2000);
            document.Property(d => d.StatusBeforeDelete).HasMaxLength(32).HasSnakeCaseConversion();
            document.HasOne<Tenant>().WithMany().HasForeignKey(d => d.TenantId).OnDelete(DeleteBehavior.Restrict);
            // A page of the document list: newest first, ties broken by id.
            document.HasIndex(d => new { d.TenantId, d.CreatedAt, d.Id });
            document.HasIndex(d => new { d.TenantId, d.Status });
            document.HasIndex(d => new { d.TenantId, d.Sha256 });
            document.HasIndex(d => d.Tags).HasMethod("gin");
            document.Property(d => d.OwnerUserId).HasMaxLength(UserIdLength);
            document.HasOne<Group>().WithMany().HasForeignKey(d => new { d.TenantId, d.OwnerGroupId })
                .HasPrincipalKey(g => new { g.TenantId, g.Id }).OnDelete(DeleteBehavior.Restrict);
            // A document's type and correspondent are its own tenant's: the keys include the tenant, so the database
            // itself refuses a reference across tenants.
            document.HasAlternateKey(d => new { d.TenantId, d.Id });
            document.HasOne<DocumentType>().WithMany().HasForeignKey(d => new { d.TenantId, d.DocumentTypeId })
                .HasPrincipalKey(t => new { t.TenantId, t.Id }).OnDelete(DeleteBehavior.Restrict);
            document.HasOne<Correspondent>().WithMany().HasForeignKey(d => new { d.TenantId, d.CorrespondentId })
                .HasPrincipalKey(c => new { c.TenantId, c.Id }).OnDelete(DeleteBehavior.Restrict);
            document.HasIndex(d => new { d.TenantId, d.DocumentTypeId });
            document.HasIndex(d => new { d.TenantId, d.CorrespondentId });
            document.HasIndex(d => new { d.TenantId, d.DocumentDate });
            document.HasMany(d => d.FieldValues).WithOne().HasForeignKey(v => v.DocumentId).OnDelete(DeleteBehavior.Cascade);
            document.Navigation(d => d.FieldValues).AutoInclude();
        });

        model.Entity<Correspondent>(correspondent =>
        {
            correspondent.ToTable("correspondents");
            correspondent.Property(c => c.Name).HasMaxLength(Catalogs.CatalogName.MaxLength);
            correspondent.HasAlternateKey(c => new { c.TenantId, c.Id });
            correspondent.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<CustomField>(field =>
        {
            field.ToTable("custom_fields", t => t.HasCheckConstraint("ck_custom_fields_kind", SnakeCaseNames<FieldKind>.CheckSql("kind")));
            field.Property(f => f.Name).HasMaxLength(Catalogs.CatalogName.MaxLength);
            field.Property(f => f.Kind).HasMaxLength(32).HasSnakeCaseConversion();
            field.Property(f => f.Options).HasColumnType("jsonb").HasConversion(
                options => JsonSerializer.Serialize(options, JsonSerializerOptions.Web),
                json => JsonSerializer.Deserialize<List<FieldOption>>(json, JsonSerializerOptions.Web) ?? new List<FieldOption>(),
                new ValueComparer<List<FieldOption>>((a, b) => a!.SequenceEqual(b!), list => list.Aggregate(0, (hash, o) => HashCode.Combine(hash, o)), list => list.ToList()));
            field.Ignore(f => f.HasOptions);
            field.HasAlternateKey(f => new { f.TenantId, f.Id });
            field.HasOne<Tenant>().WithMany().HasForeignKey(f => f.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<DocumentType>(type =>
        {
            type.Property(t => t.Name).HasMaxLength(Catalogs.CatalogName.MaxLength);
            type.Property(t => t.Description).HasMaxLength(DocumentType.MaxDescriptionLength);
            type.Property(t => t.RetentionFrom).HasMaxLength(16);
            type.Property(t => t.RetentionAction).HasMaxLength(16);
            type.Ignore(t => t.Retention);
            type.ToTable("document_types", t => t.HasCheckConstraint("ck_document_types_retention",
                "(retention_days IS NULL AND retention_from IS NULL AND retention_action IS NULL) OR "
                + "(retention_days BETWEEN 1 AND 36500 AND retention_from IN ('added', 'document_date') AND retention_action IN ('trash', 'review'))"));
            type.HasAlternateKey(t => new { t.TenantId, t.Id });
            type.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
            type.HasMany(t => t.Fields).WithOne().HasForeignKey(f => new { f.TenantId, f.DocumentTypeId })
                .HasPrincipalKey(t => new { t.TenantId, t.Id }).OnDelete(DeleteBehavior.Cascade);
            type.Navigation(t => t.Fields).AutoInclude();
        });

        model.Entity<DocumentTypeField>(typeField =>
        {
            typeField.ToTable("document_type_fields");
            typeField.HasKey(f => new { f.DocumentTypeId, f.FieldId });
            typeField.HasOne<CustomField>().WithMany().HasForeignKey(f => new { f.TenantId, f.FieldId })
                .HasPrincipalKey(f => new { f.TenantId, f.Id }).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Note>(note =>
        {
            note.ToTable("notes");
            note.Property(n => n.AuthorSubject).HasMaxLength(200);
            note.Property(n => n.AuthorName).HasMaxLength(320);
            note.Property(n => n.Text).HasMaxLength(Note.MaxLength);
            note.HasOne<Document>().WithMany().HasForeignKey(n => new { n.TenantId, n.DocumentId })
                .HasPrincipalKey(d => new { d.TenantId, d.Id }).OnDelete(DeleteBehavior.Cascade);
            note.HasIndex(n => new { n.DocumentId, n.CreatedAt });
        });

        model.Entity<SavedView>(view =>
        {
            view.ToTable("saved_views");
            view.Property(v => v.OwnerSubject).HasMaxLength(200);
            view.Property(v => v.Name).HasMaxLength(Catalogs.CatalogName.MaxLength);
            view.Property(v => v.Sort).HasMaxLength(SavedView.MaxSort);
            view.Property(v => v.Filters).HasColumnType("jsonb").HasConversion(
                filters => JsonSerializer.Serialize(filters, JsonSerializerOptions.Web),
                json => JsonSerializer.Deserialize<Contracts.Http.SavedViewFilters>(json, JsonSerializerOptions.Web) ?? new Contracts.Http.SavedViewFilters(),
                new ValueComparer<Contracts.Http.SavedViewFilters>((a, b) => JsonSerializer.Serialize(a, JsonSerializerOptions.Web) == JsonSerializer.Serialize(b, JsonSerializerOptions.Web),
                    filters => JsonSerializer.Serialize(filters, JsonSerializerOptions.Web).GetHashCode(), filters => filters));
            view.HasOne<Tenant>().WithMany().HasForeignKey(v => v.TenantId).OnDelete(DeleteBehavior.Cascade);
            view.HasIndex(v => new { v.TenantId, v.OwnerSubject });
        });

        model.Entity<FieldValue>(value =>
        {
            value.ToTable("field_values", t => t.HasCheckConstraint("ck_field_values_kind", SnakeCaseNames<FieldKind>.CheckSql("kind")));
            value.HasKey(v => new { v.DocumentId, v.FieldId });
            value.Property(v => v.Kind).HasMaxLength(32).HasSnakeCaseConversion();
            value.Property(v => v.Text).HasColumnName("text_value");
            value.Property(v => v.Integer).HasColumnName("integer_value");
            value.Property(v => v.Number).HasColumnName("number_value").HasPrecision(21, FieldValueRules.DecimalPlaces);
            value.Property(v => v.Currency).HasMaxLength(3).IsFixedLength();
            value.Property(v => v.Date).HasColumnName("date_value");
            value.Property(v => v.Boolean).HasColumnName("boolean_value");
            value.Property(v => v.Options).HasColumnName("option_ids");
            value.HasOne<CustomField>().WithMany().HasForeignKey(v => new { v.TenantId, v.FieldId })
                .HasPrincipalKey(f => new { f.TenantId, f.Id }).OnDelete(DeleteBehavior.Cascade);
            // A link to another document of the same tenant; it goes when that document is purged.
            value.HasOne<Document>().WithMany().HasForeignKey(v => new { v.TenantId, v.LinkedDocumentId })
                .HasPrincipalKey(d => new { d.TenantId, d.Id }).OnDelete(DeleteBehavior.Cascade);
            // Filters and sorts by a field: one index per typed column, led by (tenant, field).
            value.HasIndex(v => new { v.TenantId, v.FieldId, v.Integer });
            value.HasIndex(v => new { v.TenantId, v.FieldId, v.Number });
            value.HasIndex(v => new { v.TenantId, v.FieldId, v.Date });
            value.HasIndex(v => new { v.TenantId, v.FieldId, v.Boolean });
            value.HasIndex(v => v.Options).HasMethod("gin");
        });

        model.Entity<DocumentVersion>(version =>
        {
            version.ToTable("document_versions", t =>
            {
                t.HasCheckConstraint("ck_document_versions_size_bytes", "size_bytes >= 0");
                t.HasCheckConstraint("ck_document_versions_scan_verdict", SnakeCaseNames<ScanVerdict>.CheckSql("scan_verdict"));
            });
            version.HasKey(v => new { v.DocumentId, v.Version });
            version.Property(v => v.FileName).HasMaxLength(255);
            version.Property(v => v.ContentType).HasMaxLength(255);
            version.Property(v => v.Sha256).HasMaxLength(64).IsFixedLength();
            version.Property(v => v.BlobKey).HasMaxLength(300);
            version.Property(v => v.UploadId).HasMaxLength(1024);
            version.Property(v => v.StorageVersionId).HasMaxLength(1024);
            version.Property(v => v.ScanVerdict).HasMaxLength(16).HasSnakeCaseConversion().HasDefaultValue(ScanVerdict.None);
            version.HasOne<Document>().WithMany().HasForeignKey(v => v.DocumentId).OnDelete(DeleteBehavior.Cascade);
            version.HasIndex(v => v.UploadExpiresAt).HasFilter("completed_at IS NULL");
            version.HasIndex(v => v.DocumentId).HasFilter("storage_held").HasDatabaseName("ix_document_versions_storage_held");
        });

        model.Entity<ProcessingJob>(job =>
        {
            job.ToTable("processing_jobs");
            job.Property(j => j.Id).UseIdentityAlwaysColumn();
            job.Property(j => j.LastError).HasMaxLength(2000);
            job.HasOne<Document>().WithMany().HasForeignKey(j => j.DocumentId).OnDelete(DeleteBehavior.Cascade);
            // The dequeue's scan: live jobs in the order they become available.
            job.HasIndex(j => new { j.AvailableAt, j.Id }).HasFilter("dead_lettered_at IS NULL");
            // The fair dequeue's scan: one tenant's live jobs in the order they become available.
            job.HasIndex(j => new { j.TenantId, j.AvailableAt, j.Id }).HasFilter("dead_lettered_at IS NULL");
            // The same for the page images readers wait for, which the dequeue looks for first.
            job.HasIndex(j => new { j.TenantId, j.AvailableAt, j.Id }, "ix_processing_jobs_page_images").HasDatabaseName("ix_processing_jobs_page_images")
                .HasFilter("dead_lettered_at IS NULL AND pages_from IS NOT NULL");
        });

        model.Entity<PageRendering>(rendering =>
        {
            rendering.ToTable("page_renderings");
            rendering.HasKey(r => new { r.DocumentId, r.Version, r.PagesFrom });
            rendering.Property(r => r.FailureReason).HasMaxLength(2000);
            rendering.Ignore(r => r.Pending);
            rendering.HasOne<Document>().WithMany().HasForeignKey(r => r.DocumentId).OnDelete(DeleteBehavior.Cascade);
            // A tenant's blocks still waiting: counted against its cap.
            rendering.HasIndex(r => r.TenantId).HasFilter("rendered_at IS NULL AND failure_reason IS NULL");
        });

        model.Entity<BytesPurge>(purge =>
        {
            purge.ToTable("bytes_purges");
            purge.HasKey(p => p.Id);
            purge.Property(p => p.Prefix).HasMaxLength(1024);
        });

        model.Entity<QueueTurn>(turn =>
        {
            turn.ToTable("queue_turns");
            turn.HasKey(t => t.TenantId);
            turn.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<ProcessingStep>(step =>
        {
            step.ToTable("processing_steps", t =>
            {
                t.HasCheckConstraint("ck_processing_steps_step", SnakeCaseNames<StepName>.CheckSql("step"));
                t.HasCheckConstraint("ck_processing_steps_outcome", SnakeCaseNames<StepOutcome>.CheckSql("outcome"));
            });
            step.HasKey(s => new { s.DocumentId, s.Version, s.Step });
            step.Property(s => s.Step).HasMaxLength(32).HasSnakeCaseConversion();
            step.Property(s => s.Outcome).HasMaxLength(32).HasSnakeCaseConversion();
            step.Property(s => s.Detail).HasMaxLength(2000);
            step.Property(s => s.Error).HasMaxLength(2000);
            step.HasOne<DocumentVersion>().WithMany().HasForeignKey(s => new { s.DocumentId, s.Version }).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<DocumentText>(text =>
        {
            text.ToTable("document_texts");
            text.HasKey(t => new { t.DocumentId, t.Version });
            text.HasOne<DocumentVersion>().WithMany().HasForeignKey(t => new { t.DocumentId, t.Version }).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<IdempotencyRecord>(record =>
        {
            record.ToTable("idempotency_keys");
            record.HasKey(r => new { r.TenantId, r.Caller, r.Key });
            record.Property(r => r.Caller).HasMaxLength(200);
            // The sweep deletes the records past their lifetime.
            record.HasIndex(r => r.CreatedAt);
            record.Property(r => r.Key).HasMaxLength(200);
            record.Property(r => r.RequestHash).HasMaxLength(64);
            record.Property(r => r.ResponseBody).HasColumnType("jsonb");
            record.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<LegalHold>(hold =>
        {
            hold.ToTable("legal_holds");
            hold.Property(h => h.Name).HasMaxLength(LegalHold.MaxNameLength);
            hold.Property(h => h.Reason).HasMaxLength(LegalHold.MaxReasonLength);
            hold.Property(h => h.PlacedBy).HasMaxLength(320);
            hold.Property(h => h.LiftedBy).HasMaxLength(320);
            hold.HasAlternateKey(h => new { h.TenantId, h.Id });
            hold.HasOne<Tenant>().WithMany().HasForeignKey(h => h.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<HeldDocument>(held =>
        {
            held.ToTable("held_documents");
            held.HasKey(h => new { h.HoldId, h.DocumentId });
            held.HasOne<LegalHold>().WithMany().HasForeignKey(h => new { h.TenantId, h.HoldId })
                .HasPrincipalKey(h => new { h.TenantId, h.Id }).OnDelete(DeleteBehavior.Cascade);
            held.HasOne<Document>().WithMany().HasForeignKey(h => new { h.TenantId, h.DocumentId })
                .HasPrincipalKey(d => new { d.TenantId, d.Id }).OnDelete(DeleteBehavior.Cascade);
            held.HasIndex(h => h.DocumentId);
        });

        model.Entity<Group>(group =>
        {
            group.ToTable("groups");
            group.Property(g => g.Name).HasMaxLength(Group.MaxName);
            group.HasAlternateKey(g => new { g.TenantId, g.Id });
            group.HasIndex(g => new { g.TenantId, g.Name }).IsUnique();
            group.HasOne<Tenant>().WithMany().HasForeignKey(g => g.TenantId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<GroupMember>(member =>
        {
            member.ToTable("group_members");
            member.HasKey(m => new { m.GroupId, m.UserId });
            member.Property(m => m.UserId).HasMaxLength(UserIdLength);
            member.HasOne<Group>().WithMany().HasForeignKey(m => new { m.TenantId, m.GroupId })
                .HasPrincipalKey(g => new { g.TenantId, g.Id }).OnDelete(DeleteBehavior.Cascade);
            // The policy's question: which groups is this user in?
            member.HasIndex(m => new { m.UserId, m.GroupId });
        });

        model.Entity<DocumentGrant>(grant =>
        {
            grant.ToTable("document_grants", t =>
            {
                t.HasCheckConstraint("ck_document_grants_grantee", "(user_id IS NULL) <> (group_id IS NULL)");
                t.HasCheckConstraint("ck_document_grants_access", $"access IN ('{DocumentGrant.View}', '{DocumentGrant.Edit}')");
            });
            grant.Property<long>("Id").UseIdentityAlwaysColumn();
            grant.HasKey("Id");
            grant.Property(g => g.UserId).HasMaxLength(UserIdLength);
            grant.Property(g => g.Access).HasMaxLength(8);
            grant.HasOne<Document>().WithMany().HasForeignKey(g => new { g.TenantId, g.DocumentId })
                .HasPrincipalKey(d => new { d.TenantId, d.Id }).OnDelete(DeleteBehavior.Cascade);
            grant.HasOne<Group>().WithMany().HasForeignKey(g => new { g.TenantId, g.GroupId })
                .HasPrincipalKey(g => new { g.TenantId, g.Id }).OnDelete(DeleteBehavior.Cascade);
            // The policy asks for a document's grants within the tenant: the foreign keys' indexes (tenant, document) and
            // (tenant, group) serve it.
        });

        model.Entity<ShareLink>(link =>
        {
            link.ToTable("share_links", t =>
            {
                t.HasCheckConstraint("ck_share_links_downloads", "downloads >= 0 AND (max_downloads IS NULL OR downloads <= max_downloads)");
                t.HasCheckConstraint("ck_share_links_shares_one_thing", "(document_id IS NULL) <> (view_id IS NULL)");
            });
            link.HasIndex(l => l.ViewId).HasFilter("view_id IS NOT NULL");
            link.Property(l => l.TokenHash).HasMaxLength(32);
            link.HasIndex(l => l.TokenHash).IsUnique();
            link.Property(l => l.CreatedBy).HasMaxLength(320);
            link.Property(l => l.RevokedBy).HasMaxLength(320);
            link.Property(l => l.PasswordHash).HasMaxLength(200);
            link.HasOne<Document>().WithMany().HasForeignKey(l => new { l.TenantId, l.DocumentId })
                .HasPrincipalKey(d => new { d.TenantId, d.Id }).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<AuditEvent>(e =>
        {
            // No foreign keys: the trail outlives the documents (and users) it names.
            e.ToTable("audit_events");
            e.Property(x => x.Id).UseIdentityAlwaysColumn();
            e.Property(x => x.Action).HasMaxLength(64);
            e.Property(x => x.ActorKind).HasMaxLength(16);
            e.Property(x => x.ActorId).HasMaxLength(200);
            e.Property(x => x.ActorName).HasMaxLength(320);
            e.Property(x => x.ClientAddress).HasMaxLength(64);
            e.Property(x => x.UserAgent).HasMaxLength(AuditActor.MaxUserAgent);
            e.Property(x => x.Outcome).HasMaxLength(16);
            e.Property(x => x.Details).HasColumnType("jsonb");
            e.Property(x => x.TransactionId).HasDefaultValueSql("pg_current_xact_id()::text::bigint").ValueGeneratedOnAdd();
            // The chain's order, the list's (newest first) and a document's history.
            e.HasIndex(x => new { x.TenantId, x.TransactionId, x.Id });
            e.HasIndex(x => new { x.TenantId, x.Id });
            e.HasIndex(x => new { x.TenantId, x.DocumentId, x.Id });
            // The sealer's look for tenants with events since its last pass.
            e.HasIndex(x => x.TransactionId);
        });

        model.Entity<AuditSeal>(s =>
        {
            s.ToTable("audit_chain");
            s.HasKey(x => new { x.TenantId, x.Position });
            s.HasIndex(x => x.EventId).IsUnique();
        });

        model.Entity<AuditArchiveFile>(f =>
        {
            f.ToTable("audit_archives");
            f.HasKey(x => new { x.TenantId, x.ToPosition });
            f.Property(x => x.Key).HasMaxLength(300);
        });

        model.Entity<OperationEvent>(e =>
        {
            e.ToTable("operation_events");
            e.Property(x => x.Id).UseIdentityAlwaysColumn();
            e.Property(x => x.Kind).HasMaxLength(32);
            e.Property(x => x.Outcome).HasMaxLength(32);
            e.HasOne<Tenant>().WithMany().HasForeignKey(x => x.TenantId).OnDelete(DeleteBehavior.Cascade);
            // The status counts a window of the latest events; the sweep deletes the oldest.
            e.HasIndex(x => x.OccurredAt);
        });
    }
}
