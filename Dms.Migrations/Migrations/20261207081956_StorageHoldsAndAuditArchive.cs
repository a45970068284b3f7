using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// What storage was told of a version's legal hold (<c>storage_held</c>, kept in step by the worker's sweep), and
    /// the files of the audit archive, one row per copy of a tenant's chain (append-only, as the chain itself).
    /// </summary>
    public partial class StorageHoldsAndAuditArchive : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "storage_held",
                table: "document_versions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "audit_archives",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    to_position = table.Column<long>(type: "bigint", nullable: false),
                    from_position = table.Column<long>(type: "bigint", nullable: false),
                    key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    archived_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_archives", x => new { x.tenant_id, x.to_position });
                });

            migrationBuilder.CreateIndex(
                name: "ix_document_versions_storage_held",
                table: "document_versions",
                column: "document_id",
                filter: "storage_held");

            TenantIsolationSql.IsolateAppendOnly(migrationBuilder, "audit_archives");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            TenantIsolationSql.Unisolate(migrationBuilder, "audit_archives");
            migrationBuilder.DropTable(
                name: "audit_archives");

            migrationBuilder.DropIndex(
                name: "ix_document_versions_storage_held",
                table: "document_versions");

            migrationBuilder.DropColumn(
                name: "storage_held",
                table: "document_versions");
        }
    }
}
