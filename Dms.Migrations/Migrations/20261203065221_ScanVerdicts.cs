using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ScanVerdicts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_processing_steps_step",
                table: "processing_steps");

            migrationBuilder.AddColumn<string>(
                name: "scan_verdict",
                table: "document_versions",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "none");

            // Versions scanned before verdicts were kept get the one their scan step recorded; the rest stay unscanned.
            migrationBuilder.Sql("""
                UPDATE document_versions v
                SET scan_verdict = CASE s.outcome WHEN 'succeeded' THEN 'clean' WHEN 'infected' THEN 'infected' ELSE 'skipped' END
                FROM processing_steps s
                WHERE s.document_id = v.document_id AND s.version = v.version AND s.step = 'scan'
                  AND s.outcome IN ('succeeded', 'infected', 'skipped')
                """);

            migrationBuilder.AddCheckConstraint(
                name: "ck_processing_steps_step",
                table: "processing_steps",
                sql: "step IN ('scan', 'type_check', 'extract', 'index')");

            migrationBuilder.AddCheckConstraint(
                name: "ck_document_versions_scan_verdict",
                table: "document_versions",
                sql: "scan_verdict IN ('none', 'clean', 'infected', 'skipped')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_processing_steps_step",
                table: "processing_steps");

            migrationBuilder.DropCheckConstraint(
                name: "ck_document_versions_scan_verdict",
                table: "document_versions");

            migrationBuilder.DropColumn(
                name: "scan_verdict",
                table: "document_versions");

            migrationBuilder.AddCheckConstraint(
                name: "ck_processing_steps_step",
                table: "processing_steps",
                sql: "step IN ('type_check', 'scan', 'extract', 'index')");
        }
    }
}
