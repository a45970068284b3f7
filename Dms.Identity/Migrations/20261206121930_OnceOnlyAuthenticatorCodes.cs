using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Identity.Migrations
{
    /// <inheritdoc />
    public partial class OnceOnlyAuthenticatorCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "last_authenticator_step",
                schema: "identity",
                table: "AspNetUsers",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "last_authenticator_step",
                schema: "identity",
                table: "AspNetUsers");
        }
    }
}
