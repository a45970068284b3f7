using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// Retention per document type (keep N days from the document's date or from when it was added, then trash or flag
    /// for review), and on each document when it was flagged and when an admin kept it past the rule.
    /// </summary>
    public partial class RetentionRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "retention_due_at",
                table: "documents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "retention_kept_at",
                table: "documents",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "retention_action",
                table: "document_types",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "retention_days",
                table: "document_types",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "retention_from",
                table: "document_types",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_document_types_retention",
                table: "document_types",
                sql: "(retention_days IS NULL AND retention_from IS NULL AND retention_action IS NULL) OR (retention_days BETWEEN 1 AND 36500 AND retention_from IN ('added', 'document_date') AND retention_action IN ('trash', 'review'))");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_document_types_retention",
                table: "document_types");

            migrationBuilder.DropColumn(
                name: "retention_due_at",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "retention_kept_at",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "retention_action",
                table: "document_types");

            migrationBuilder.DropColumn(
                name: "retention_days",
                table: "document_types");

            migrationBuilder.DropColumn(
                name: "retention_from",
                table: "document_types");
        }
    }
}
