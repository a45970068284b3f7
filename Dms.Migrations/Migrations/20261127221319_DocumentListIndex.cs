using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class DocumentListIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_documents_tenant_id_created_at",
                table: "documents");

            migrationBuilder.CreateIndex(
                name: "ix_documents_tenant_id_created_at_id",
                table: "documents",
                columns: new[] { "tenant_id", "created_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_documents_tenant_id_created_at_id",
                table: "documents");

            migrationBuilder.CreateIndex(
                name: "ix_documents_tenant_id_created_at",
                table: "documents",
                columns: new[] { "tenant_id", "created_at" });
        }
    }
}
