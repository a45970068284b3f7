using Dms.Contracts;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// The web app's data-protection keys (they seal its session cookies, antiforgery tokens and session tickets), for
    /// a web app of several tasks: each reads the same key ring, so any task reads any task's cookies and a deploy signs
    /// no one out. Only <c>dms_web</c> reaches them, and it may add keys, never change or remove one.
    /// </summary>
    public partial class WebKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                CREATE TABLE web_keys (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    friendly_name text NOT NULL,
                    xml text NOT NULL);
                GRANT SELECT, INSERT ON web_keys TO {DatabaseNames.WebRole};
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE web_keys;");
        }
    }
}
