using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// Notes on documents (their author's subject and name; keyed with the document's tenant, gone with it) and saved
    /// views (an owner's, or shared with the tenant; the filters as JSON, the columns as a list). Tenant-isolated.
    /// </summary>
    public partial class NotesAndSavedViews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "notes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    document_id = table.Column<Guid>(type: "uuid", nullable: false),
                    author_subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    author_name = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    text = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notes", x => x.id);
                    table.ForeignKey(
                        name: "fk_notes_documents_tenant_id_document_id",
                        columns: x => new { x.tenant_id, x.document_id },
                        principalTable: "documents",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "saved_views",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    owner_subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    shared = table.Column<bool>(type: "boolean", nullable: false),
                    on_start_page = table.Column<bool>(type: "boolean", nullable: false),
                    filters = table.Column<string>(type: "jsonb", nullable: false),
                    sort = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    columns = table.Column<List<string>>(type: "text[]", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_saved_views", x => x.id);
                    table.ForeignKey(
                        name: "fk_saved_views_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_notes_document_id_created_at",
                table: "notes",
                columns: new[] { "document_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_notes_tenant_id_document_id",
                table: "notes",
                columns: new[] { "tenant_id", "document_id" });

            migrationBuilder.CreateIndex(
                name: "ix_saved_views_tenant_id_owner_subject",
                table: "saved_views",
                columns: new[] { "tenant_id", "owner_subject" });

            // A view's name is its owner's once, whatever its case.
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_saved_views_owner_name ON saved_views (tenant_id, owner_subject, lower(name));");
            TenantIsolationSql.Isolate(migrationBuilder, "notes");
            TenantIsolationSql.Isolate(migrationBuilder, "saved_views");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            TenantIsolationSql.Unisolate(migrationBuilder, "notes");
            TenantIsolationSql.Unisolate(migrationBuilder, "saved_views");

            migrationBuilder.DropTable(
                name: "notes");

            migrationBuilder.DropTable(
                name: "saved_views");
        }
    }
}
