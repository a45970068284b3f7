using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// Share links: a document shown to whoever has the link, until it expires, is revoked or is used up. The token's
    /// SHA-256 is kept, never the token; the tenant's row-level security as every tenant table (anonymous use finds a
    /// link by its hash in a cross-tenant transaction, then reads as its tenant).
    /// </summary>
    public partial class ShareLinks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "share_links",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    document_id = table.Column<Guid>(type: "uuid", nullable: false),
                    token_hash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    created_by = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    password_hash = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    max_downloads = table.Column<int>(type: "integer", nullable: true),
                    downloads = table.Column<int>(type: "integer", nullable: false),
                    opens = table.Column<int>(type: "integer", nullable: false),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_by = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_share_links", x => x.id);
                    table.CheckConstraint("ck_share_links_downloads", "downloads >= 0 AND (max_downloads IS NULL OR downloads <= max_downloads)");
                    table.ForeignKey(
                        name: "fk_share_links_documents_tenant_id_document_id",
                        columns: x => new { x.tenant_id, x.document_id },
                        principalTable: "documents",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_share_links_tenant_id_document_id",
                table: "share_links",
                columns: new[] { "tenant_id", "document_id" });

            migrationBuilder.CreateIndex(
                name: "ix_share_links_token_hash",
                table: "share_links",
                column: "token_hash",
                unique: true);

            TenantIsolationSql.Isolate(migrationBuilder, "share_links");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            TenantIsolationSql.Unisolate(migrationBuilder, "share_links");
            migrationBuilder.DropTable(
                name: "share_links");
        }
    }
}
