using Dms.Contracts;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// The identity provider's schema, owned by its own role: the provider makes its tables there itself (its own
    /// migrations, run at its start), and no other role of Dms reaches them, nor does the provider reach theirs.
    /// </summary>
    public partial class IdentitySchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{DatabaseNames.IdentityRole}') THEN
                        CREATE ROLE {DatabaseNames.IdentityRole} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
                    END IF;
                END $$;
                CREATE SCHEMA IF NOT EXISTS {DatabaseNames.IdentitySchema} AUTHORIZATION {DatabaseNames.IdentityRole};
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The schema stays, and the accounts in it: rolling the api's schema back (a release undone) must not delete
            // every user and sign everyone out. Dropping it is a decision of its own (DROP SCHEMA identity CASCADE).
        }
    }
}
