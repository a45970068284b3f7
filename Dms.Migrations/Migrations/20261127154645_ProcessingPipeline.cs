using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ProcessingPipeline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempts",
                table: "processing_jobs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "available_at",
                table: "processing_jobs",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "dead_lettered_at",
                table: "processing_jobs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_error",
                table: "processing_jobs",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "lease_token",
                table: "processing_jobs",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "failure_reason",
                table: "documents",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "document_texts",
                columns: table => new
                {
                    document_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    pages = table.Column<int>(type: "integer", nullable: false),
                    ocr_pages = table.Column<int>(type: "integer", nullable: false),
                    extracted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_document_texts", x => new { x.document_id, x.version });
                    table.ForeignKey(
                        name: "fk_document_texts_document_versions_document_id_version",
                        columns: x => new { x.document_id, x.version },
                        principalTable: "document_versions",
                        principalColumns: new[] { "document_id", "version" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "processing_steps",
                columns: table => new
                {
                    document_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    step = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    duration_ms = table.Column<long>(type: "bigint", nullable: false),
                    detail = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_processing_steps", x => new { x.document_id, x.version, x.step });
                    table.CheckConstraint("ck_processing_steps_outcome", "outcome IN ('succeeded', 'skipped', 'retrying', 'failed', 'infected')");
                    table.CheckConstraint("ck_processing_steps_step", "step IN ('type_check', 'scan', 'extract', 'index')");
                    table.ForeignKey(
                        name: "fk_processing_steps_document_versions_document_id_version",
                        columns: x => new { x.document_id, x.version },
                        principalTable: "document_versions",
                        principalColumns: new[] { "document_id", "version" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_processing_jobs_available_at_id",
                table: "processing_jobs",
                columns: new[] { "available_at", "id" },
                filter: "dead_lettered_at IS NULL");

            migrationBuilder.Sql("UPDATE processing_jobs SET available_at = created_at;");
            TenantIsolationSql.Isolate(migrationBuilder, "processing_steps");
            TenantIsolationSql.Isolate(migrationBuilder, "document_texts");

            // Wakes idle workers (LISTEN dms_processing_jobs) when a job is written or redriven; delivered on commit.
            migrationBuilder.Sql("""
                CREATE FUNCTION notify_processing_job() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('dms_processing_jobs', '');
                    RETURN NULL;
                END $$;
                CREATE TRIGGER processing_job_available
                    AFTER INSERT OR UPDATE OF dead_lettered_at ON processing_jobs
                    FOR EACH ROW WHEN (NEW.dead_lettered_at IS NULL) EXECUTE FUNCTION notify_processing_job();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER processing_job_available ON processing_jobs;
                DROP FUNCTION notify_processing_job();
                """);
            TenantIsolationSql.Unisolate(migrationBuilder, "document_texts");
            TenantIsolationSql.Unisolate(migrationBuilder, "processing_steps");

            migrationBuilder.DropTable(
                name: "document_texts");

            migrationBuilder.DropTable(
                name: "processing_steps");

            migrationBuilder.DropIndex(
                name: "ix_processing_jobs_available_at_id",
                table: "processing_jobs");

            migrationBuilder.DropColumn(
                name: "attempts",
                table: "processing_jobs");

            migrationBuilder.DropColumn(
                name: "available_at",
                table: "processing_jobs");

            migrationBuilder.DropColumn(
                name: "dead_lettered_at",
                table: "processing_jobs");

            migrationBuilder.DropColumn(
                name: "last_error",
                table: "processing_jobs");

            migrationBuilder.DropColumn(
                name: "lease_token",
                table: "processing_jobs");

            migrationBuilder.DropColumn(
                name: "failure_reason",
                table: "documents");
        }
    }
}
