using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class TenantIsolation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "used_bytes",
                table: "tenants",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "current_version",
                table: "documents",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<Guid>(
                name: "duplicate_of",
                table: "documents",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "status_before_delete",
                table: "documents",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string[]>(
                name: "tags",
                table: "documents",
                type: "text[]",
                nullable: false,
                defaultValue: new string[0]);

            migrationBuilder.CreateTable(
                name: "document_versions",
                columns: table => new
                {
                    document_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    content_type = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: true),
                    blob_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    upload_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_document_versions", x => new { x.document_id, x.version });
                    table.CheckConstraint("ck_document_versions_size_bytes", "size_bytes >= 0");
                    table.ForeignKey(
                        name: "fk_document_versions_documents_document_id",
                        column: x => x.document_id,
                        principalTable: "documents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "idempotency_keys",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    request_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: false),
                    response_body = table.Column<string>(type: "jsonb", nullable: false),
                    location = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_idempotency_keys", x => new { x.tenant_id, x.key });
                    table.ForeignKey(
                        name: "fk_idempotency_keys_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "processing_jobs",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    document_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_processing_jobs", x => x.id);
                    table.ForeignKey(
                        name: "fk_processing_jobs_documents_document_id",
                        column: x => x.document_id,
                        principalTable: "documents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.AddCheckConstraint(
                name: "ck_tenants_used_bytes",
                table: "tenants",
                sql: "used_bytes >= 0");

            migrationBuilder.CreateIndex(
                name: "ix_documents_tags",
                table: "documents",
                column: "tags")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_documents_tenant_id_sha256",
                table: "documents",
                columns: new[] { "tenant_id", "sha256" });

            migrationBuilder.CreateIndex(
                name: "ix_document_versions_upload_expires_at",
                table: "document_versions",
                column: "upload_expires_at",
                filter: "completed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_processing_jobs_document_id",
                table: "processing_jobs",
                column: "document_id");

            TenantIsolationSql.CreateAppRoleAndSettings(migrationBuilder);
            TenantIsolationSql.Isolate(migrationBuilder, "tenants", tenantColumn: "id");
            TenantIsolationSql.Isolate(migrationBuilder, "documents");
            TenantIsolationSql.Isolate(migrationBuilder, "document_versions");
            TenantIsolationSql.Isolate(migrationBuilder, "processing_jobs", hasIdentity: true);
            TenantIsolationSql.Isolate(migrationBuilder, "idempotency_keys");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            TenantIsolationSql.Unisolate(migrationBuilder, "idempotency_keys");
            TenantIsolationSql.Unisolate(migrationBuilder, "processing_jobs");
            TenantIsolationSql.Unisolate(migrationBuilder, "document_versions");
            TenantIsolationSql.Unisolate(migrationBuilder, "documents");
            TenantIsolationSql.Unisolate(migrationBuilder, "tenants");
            TenantIsolationSql.DropAppSettings(migrationBuilder);

            migrationBuilder.DropTable(
                name: "document_versions");

            migrationBuilder.DropTable(
                name: "idempotency_keys");

            migrationBuilder.DropTable(
                name: "processing_jobs");

            migrationBuilder.DropCheckConstraint(
                name: "ck_tenants_used_bytes",
                table: "tenants");

            migrationBuilder.DropIndex(
                name: "ix_documents_tags",
                table: "documents");

            migrationBuilder.DropIndex(
                name: "ix_documents_tenant_id_sha256",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "used_bytes",
                table: "tenants");

            migrationBuilder.DropColumn(
                name: "current_version",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "duplicate_of",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "status_before_delete",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "tags",
                table: "documents");
        }
    }
}
