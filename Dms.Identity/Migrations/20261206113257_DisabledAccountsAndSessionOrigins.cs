using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Identity.Migrations
{
    /// <inheritdoc />
    public partial class DisabledAccountsAndSessionOrigins : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "address",
                schema: "identity",
                table: "sessions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "user_agent",
                schema: "identity",
                table: "sessions",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "disabled",
                schema: "identity",
                table: "AspNetUsers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_sessions_expires_at",
                schema: "identity",
                table: "sessions",
                column: "expires_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_sessions_expires_at",
                schema: "identity",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "address",
                schema: "identity",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "user_agent",
                schema: "identity",
                table: "sessions");

            migrationBuilder.DropColumn(
                name: "disabled",
                schema: "identity",
                table: "AspNetUsers");
        }
    }
}
