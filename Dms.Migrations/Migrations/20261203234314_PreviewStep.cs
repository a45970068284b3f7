using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class PreviewStep : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_processing_steps_step",
                table: "processing_steps");

            migrationBuilder.AddCheckConstraint(
                name: "ck_processing_steps_step",
                table: "processing_steps",
                sql: "step IN ('scan', 'type_check', 'extract', 'preview', 'index')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_processing_steps_step",
                table: "processing_steps");

            migrationBuilder.AddCheckConstraint(
                name: "ck_processing_steps_step",
                table: "processing_steps",
                sql: "step IN ('scan', 'type_check', 'extract', 'index')");
        }
    }
}
