using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// The search functions take the candidate cap and stop there: with the cap outside them, PostgreSQL read and
    /// ranked every match (100,000 for a word every document has) before the caller's LIMIT kept the first ones.
    /// </summary>
    public partial class SearchCandidateCap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                {DropSearchFunctions("")}
                {SearchEntries.SearchFunctions(capped: true)}
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                {DropSearchFunctions(", integer")}
                {SearchEntries.SearchFunctions(capped: false)}
                """);
        }

        private static string DropSearchFunctions(string cap) => $"""
            DROP FUNCTION dms_search_matches(tsquery, text, text, timestamptz, timestamptz{cap});
            DROP FUNCTION dms_search_titles(text, text, text, timestamptz, timestamptz{cap});
            """;
    }
}
