using System;
using Dms.Contracts;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ViewShareLinksAndPageImageJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<Guid>(
                name: "document_id",
                table: "share_links",
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<Guid>(
                name: "view_id",
                table: "share_links",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_share_links_view_id",
                table: "share_links",
                column: "view_id",
                filter: "view_id IS NOT NULL");

            migrationBuilder.AddCheckConstraint(
                name: "ck_share_links_shares_one_thing",
                table: "share_links",
                sql: "(document_id IS NULL) <> (view_id IS NULL)");

            migrationBuilder.CreateIndex(
                name: "ix_processing_jobs_page_images",
                table: "processing_jobs",
                columns: new[] { "tenant_id", "available_at", "id" },
                filter: "dead_lettered_at IS NULL AND pages_from IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The schema before this one has no place for a link to a view: those links go, the document links stay.
            migrationBuilder.Sql($"""
                SET LOCAL {DatabaseNames.CrossTenantSetting} = 'on';
                DELETE FROM share_links WHERE document_id IS NULL;
                """);
            migrationBuilder.DropIndex(
                name: "ix_share_links_view_id",
                table: "share_links");

            migrationBuilder.DropCheckConstraint(
                name: "ck_share_links_shares_one_thing",
                table: "share_links");

            migrationBuilder.DropIndex(
                name: "ix_processing_jobs_page_images",
                table: "processing_jobs");

            migrationBuilder.DropColumn(
                name: "view_id",
                table: "share_links");

            migrationBuilder.AlterColumn<Guid>(
                name: "document_id",
                table: "share_links",
                type: "uuid",
                nullable: false,
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
