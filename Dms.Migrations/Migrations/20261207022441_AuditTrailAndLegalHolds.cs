using System;
using Dms.Contracts;
using Dms.Holds;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// The audit trail, and legal holds. The trail: events (who, when, from where, which document and version, the outcome) and each tenant's
    /// hash chain over them. The app role may insert and read both, never update or delete; the identity provider may
    /// add events (its sign-ins). Events older than a tenant's audit retention go only through
    /// <c>dms_audit_prune</c>, which the owner defines and which deletes a sealed prefix of a chain and never an
    /// event younger than <see cref="MinimumRetentionDays"/> days, whoever calls it. Holds: a tenant's holds and the
    /// documents each covers (tenant-isolated), and triggers that refuse, whatever route or sweep asks, to trash or
    /// delete a held document or delete one of its versions.
    /// </summary>
    public partial class AuditTrailAndLegalHolds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_chain",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<long>(type: "bigint", nullable: false),
                    event_id = table.Column<long>(type: "bigint", nullable: false),
                    previous_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_chain", x => new { x.tenant_id, x.position });
                });

            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    actor_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    actor_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    actor_name = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    client_address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    document_id = table.Column<Guid>(type: "uuid", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: true),
                    outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    details = table.Column<string>(type: "jsonb", nullable: true),
                    transaction_id = table.Column<long>(type: "bigint", nullable: false, defaultValueSql: "pg_current_xact_id()::text::bigint")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "legal_holds",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    placed_by = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    placed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lifted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    lifted_by = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_legal_holds", x => x.id);
                    table.UniqueConstraint("ak_legal_holds_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_legal_holds_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "held_documents",
                columns: table => new
                {
                    hold_id = table.Column<Guid>(type: "uuid", nullable: false),
                    document_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    held_since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_held_documents", x => new { x.hold_id, x.document_id });
                    table.ForeignKey(
                        name: "fk_held_documents_documents_tenant_id_document_id",
                        columns: x => new { x.tenant_id, x.document_id },
                        principalTable: "documents",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_held_documents_legal_holds_tenant_id_hold_id",
                        columns: x => new { x.tenant_id, x.hold_id },
                        principalTable: "legal_holds",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_audit_chain_event_id",
                table: "audit_chain",
                column: "event_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_tenant_id_document_id_id",
                table: "audit_events",
                columns: new[] { "tenant_id", "document_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_tenant_id_id",
                table: "audit_events",
                columns: new[] { "tenant_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_tenant_id_transaction_id_id",
                table: "audit_events",
                columns: new[] { "tenant_id", "transaction_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_events_transaction_id",
                table: "audit_events",
                column: "transaction_id");

            migrationBuilder.CreateIndex(
                name: "ix_held_documents_document_id",
                table: "held_documents",
                column: "document_id");

            migrationBuilder.CreateIndex(
                name: "ix_held_documents_tenant_id_document_id",
                table: "held_documents",
                columns: new[] { "tenant_id", "document_id" });

            migrationBuilder.CreateIndex(
                name: "ix_held_documents_tenant_id_hold_id",
                table: "held_documents",
                columns: new[] { "tenant_id", "hold_id" });

            TenantIsolationSql.IsolateAppendOnly(migrationBuilder, "audit_events", hasIdentity: true);
            TenantIsolationSql.IsolateAppendOnly(migrationBuilder, "audit_chain");
            migrationBuilder.Sql($"""
                GRANT USAGE ON SCHEMA public TO {DatabaseNames.IdentityRole};
                GRANT INSERT ON audit_events TO {DatabaseNames.IdentityRole};
                GRANT USAGE ON SEQUENCE audit_events_id_seq TO {DatabaseNames.IdentityRole};

                CREATE FUNCTION dms_audit_prune(p_tenant uuid, p_before timestamptz) RETURNS bigint
                    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $fn$
                DECLARE
                    cut timestamptz := least(p_before, now() - interval '{MinimumRetentionDays} days');
                    first_kept bigint;
                    last_pruned bigint;
                    pruned bigint;
                    was text := coalesce(current_setting('{DatabaseNames.CrossTenantSetting}', true), '');
                BEGIN
                    PERFORM set_config('{DatabaseNames.CrossTenantSetting}', 'on', true);
                    SELECT min(c.position) INTO first_kept FROM audit_chain c JOIN audit_events e ON e.id = c.event_id
                        WHERE c.tenant_id = p_tenant AND e.occurred_at >= cut;
                    SELECT max(c.position) INTO last_pruned FROM audit_chain c
                        WHERE c.tenant_id = p_tenant AND (first_kept IS NULL OR c.position < first_kept);
                    WITH gone AS (DELETE FROM audit_chain WHERE tenant_id = p_tenant AND position <= coalesce(last_pruned, 0) RETURNING event_id)
                    DELETE FROM audit_events WHERE id IN (SELECT event_id FROM gone);
                    GET DIAGNOSTICS pruned = ROW_COUNT;
                    PERFORM set_config('{DatabaseNames.CrossTenantSetting}', was, true);
                    RETURN pruned;
                END $fn$;
                REVOKE ALL ON FUNCTION dms_audit_prune(uuid, timestamptz) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION dms_audit_prune(uuid, timestamptz) TO {DatabaseNames.AppRole};
                """);

            TenantIsolationSql.Isolate(migrationBuilder, "legal_holds");
            TenantIsolationSql.Isolate(migrationBuilder, "held_documents");
            // Whatever route or sweep asks: a held document is not trashed, deleted, or stripped of a version.
            migrationBuilder.Sql($"""
                CREATE FUNCTION dms_refuse_held_document() RETURNS trigger LANGUAGE plpgsql AS $fn$
                DECLARE
                    document uuid;
                    holds text;
                BEGIN
                    -- Each table names the document its own way: only the right assignment runs.
                    IF TG_TABLE_NAME = 'documents' THEN
                        document := OLD.id;
                    ELSE
                        document := OLD.document_id;
                    END IF;
                    SELECT string_agg(h.name, ''', ''' ORDER BY h.name) INTO holds
                        FROM held_documents d JOIN legal_holds h ON h.id = d.hold_id WHERE d.document_id = document;
                    IF holds IS NOT NULL THEN
                        RAISE EXCEPTION 'The document is under legal hold (''%''): it cannot be % until the hold is lifted.', holds,
                            CASE WHEN TG_OP = 'UPDATE' THEN 'moved to the trash' WHEN TG_TABLE_NAME = 'documents' THEN 'deleted' ELSE 'stripped of a version' END
                            USING ERRCODE = '{HoldRules.RefusedState}';
                    END IF;
                    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
                END $fn$;
                CREATE TRIGGER held_documents_stay BEFORE DELETE ON documents
                    FOR EACH ROW EXECUTE FUNCTION dms_refuse_held_document();
                CREATE TRIGGER held_documents_stay_out_of_the_trash BEFORE UPDATE OF status ON documents
                    FOR EACH ROW WHEN (NEW.status = 'deleted' AND OLD.status <> 'deleted') EXECUTE FUNCTION dms_refuse_held_document();
                CREATE TRIGGER held_versions_stay BEFORE DELETE ON document_versions
                    FOR EACH ROW WHEN (OLD.completed_at IS NOT NULL) EXECUTE FUNCTION dms_refuse_held_document();
                """);
        }

        /// <summary>The youngest events the database lets anyone prune (a plan's retention cannot be shorter).</summary>
        public const int MinimumRetentionDays = 30;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                DROP TRIGGER held_versions_stay ON document_versions;
                DROP TRIGGER held_documents_stay_out_of_the_trash ON documents;
                DROP TRIGGER held_documents_stay ON documents;
                DROP FUNCTION dms_refuse_held_document();
                DROP FUNCTION dms_audit_prune(uuid, timestamptz);
                REVOKE ALL ON audit_events FROM {DatabaseNames.IdentityRole};
                REVOKE ALL ON SEQUENCE audit_events_id_seq FROM {DatabaseNames.IdentityRole};
                """);
            migrationBuilder.DropTable(
                name: "audit_chain");

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropTable(
                name: "held_documents");

            migrationBuilder.DropTable(
                name: "legal_holds");
        }
    }
}
