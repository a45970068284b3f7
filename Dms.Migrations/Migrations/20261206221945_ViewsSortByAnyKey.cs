using Dms.Contracts;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ViewsSortByAnyKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "sort",
                table: "saved_views",
                type: "character varying(256)",
                maxLength: 256,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(32)",
                oldMaxLength: 32);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // A view sorted by a key the narrower column cannot hold goes back to the order it had by default.
            migrationBuilder.Sql($"""
                SET LOCAL {DatabaseNames.CrossTenantSetting} = 'on';
                UPDATE saved_views SET sort = 'newest' WHERE length(sort) > 32;
                """);
            migrationBuilder.AlterColumn<string>(
                name: "sort",
                table: "saved_views",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(256)",
                oldMaxLength: 256);
        }
    }
}
