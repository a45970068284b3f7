using Dms.Contracts;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// The web app's sessions, kept on the server: the cookie carries only a session's key, and signing out deletes
    /// the session, so a copy of the cookie opens nothing afterwards; every web instance reads the same sessions. The
    /// ticket is encrypted by the web app before it is stored. The web app connects as <c>dms_web</c>, which may touch
    /// this table and nothing else: a web server taken over reads no tenant's documents from the database.
    /// </summary>
    public partial class WebSessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{DatabaseNames.WebRole}') THEN
                        CREATE ROLE {DatabaseNames.WebRole} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
                    END IF;
                END $$;
                GRANT USAGE ON SCHEMA public TO {DatabaseNames.WebRole};

                CREATE TABLE web_sessions (
                    id text PRIMARY KEY,
                    ticket bytea NOT NULL,
                    signed_in_at timestamptz NOT NULL,
                    expires_at timestamptz NOT NULL);
                CREATE INDEX ix_web_sessions_expires_at ON web_sessions (expires_at);
                GRANT SELECT, INSERT, UPDATE, DELETE ON web_sessions TO {DatabaseNames.WebRole};
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The role is shared by every database of the cluster: it stays, without its rights on this one.
            migrationBuilder.Sql($"""
                DROP TABLE web_sessions;
                REVOKE USAGE ON SCHEMA public FROM {DatabaseNames.WebRole};
                """);
        }
    }
}
