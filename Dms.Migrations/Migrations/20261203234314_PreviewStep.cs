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
            // The records of preview steps have no place in the older schema; the images stay in storage, unserved.
            migrationBuilder.DropCheckConstraint(
                name: "ck_processing_steps_step",
                table: "processing_steps");

            migrationBuilder.Sql("DELETE FROM processing_steps WHERE step = 'preview'");

            migrationBuilder.AddCheckConstraint(
                name: "ck_processing_steps_step",
                table: "processing_steps",
                sql: "step IN ('scan', 'type_check', 'extract', 'preview', 'index')");

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
