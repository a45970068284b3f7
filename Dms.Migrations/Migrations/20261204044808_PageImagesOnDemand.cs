using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>A processing job may render page images a reader asked for instead of running the pipeline.</summary>
    public partial class PageImagesOnDemand : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "pages_from",
                table: "processing_jobs",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Without the column a page-image job would read as a pipeline job: the pages are asked for again later.
            migrationBuilder.Sql("DELETE FROM processing_jobs WHERE pages_from IS NOT NULL");
            migrationBuilder.DropColumn(
                name: "pages_from",
                table: "processing_jobs");
        }
    }
}
