using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// One row per block of page images a reader asked for: the block is queued once, however often and however
    /// concurrently it is asked for (the key decides), and a block that could not be rendered keeps its reason, so it is
    /// answered at once instead of being queued again. Tenant-isolated like every tenant-owned table.
    /// </summary>
    public partial class PageRenderings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "page_renderings",
                columns: table => new
                {
                    document_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    pages_from = table.Column<int>(type: "integer", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    rendered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failure_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_page_renderings", x => new { x.document_id, x.version, x.pages_from });
                    table.ForeignKey(
                        name: "fk_page_renderings_documents_document_id",
                        column: x => x.document_id,
                        principalTable: "documents",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_page_renderings_tenant_id",
                table: "page_renderings",
                column: "tenant_id",
                filter: "rendered_at IS NULL AND failure_reason IS NULL");

            TenantIsolationSql.Isolate(migrationBuilder, "page_renderings");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            TenantIsolationSql.Unisolate(migrationBuilder, "page_renderings");
            migrationBuilder.DropTable(
                name: "page_renderings");
        }
    }
}
