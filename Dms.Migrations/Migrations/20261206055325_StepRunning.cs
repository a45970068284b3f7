using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class StepRunning : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_processing_steps_outcome",
                table: "processing_steps");

            migrationBuilder.AddCheckConstraint(
                name: "ck_processing_steps_outcome",
                table: "processing_steps",
                sql: "outcome IN ('succeeded', 'skipped', 'retrying', 'failed', 'infected', 'running')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // A step left running (its worker stopped) reads as one to retry under the old outcomes.
            migrationBuilder.Sql(Dms.Contracts.DatabaseNames.CrossTenantStatement);
            migrationBuilder.Sql("UPDATE processing_steps SET outcome = 'retrying' WHERE outcome = 'running'");
            migrationBuilder.DropCheckConstraint(
                name: "ck_processing_steps_outcome",
                table: "processing_steps");

            migrationBuilder.AddCheckConstraint(
                name: "ck_processing_steps_outcome",
                table: "processing_steps",
                sql: "outcome IN ('succeeded', 'skipped', 'retrying', 'failed', 'infected')");
        }
    }
}
