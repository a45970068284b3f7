using System;
using Dms.Contracts;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Dms.Migrations.Migrations
{
    /// <summary>
    /// Groups, a document's owner and grants, and the row-level security that shows a restricted document (one with
    /// grants) only to those who may see it: the transaction names its viewer (<c>app.viewer</c>) beside its tenant, and
    /// a restrictive policy on documents, their versions, texts and notes, and a filter in the search functions (which
    /// run as the owner), keep everyone else out, whatever the query.
    /// </summary>
    public partial class GroupsAndPermissions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "owner_group_id",
                table: "documents",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "owner_user_id",
                table: "documents",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "restricted",
                table: "documents",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "groups",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_groups", x => x.id);
                    table.UniqueConstraint("ak_groups_tenant_id_id", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_groups_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "document_grants",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    document_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    group_id = table.Column<Guid>(type: "uuid", nullable: true),
                    access = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    granted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_document_grants", x => x.id);
                    table.CheckConstraint("ck_document_grants_access", "access IN ('view', 'edit')");
                    table.CheckConstraint("ck_document_grants_grantee", "(user_id IS NULL) <> (group_id IS NULL)");
                    table.ForeignKey(
                        name: "fk_document_grants_documents_tenant_id_document_id",
                        columns: x => new { x.tenant_id, x.document_id },
                        principalTable: "documents",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_document_grants_groups_tenant_id_group_id",
                        columns: x => new { x.tenant_id, x.group_id },
                        principalTable: "groups",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "group_members",
                columns: table => new
                {
                    group_id = table.Column<Guid>(type: "uuid", nullable: false),
                    user_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_group_members", x => new { x.group_id, x.user_id });
                    table.ForeignKey(
                        name: "fk_group_members_groups_tenant_id_group_id",
                        columns: x => new { x.tenant_id, x.group_id },
                        principalTable: "groups",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_documents_tenant_id_owner_group_id",
                table: "documents",
                columns: new[] { "tenant_id", "owner_group_id" });

            migrationBuilder.CreateIndex(
                name: "ix_document_grants_tenant_id_document_id",
                table: "document_grants",
                columns: new[] { "tenant_id", "document_id" });

            migrationBuilder.CreateIndex(
                name: "ix_document_grants_tenant_id_group_id",
                table: "document_grants",
                columns: new[] { "tenant_id", "group_id" });

            migrationBuilder.CreateIndex(
                name: "ix_group_members_tenant_id_group_id",
                table: "group_members",
                columns: new[] { "tenant_id", "group_id" });

            migrationBuilder.CreateIndex(
                name: "ix_group_members_user_id_group_id",
                table: "group_members",
                columns: new[] { "user_id", "group_id" });

            migrationBuilder.CreateIndex(
                name: "ix_groups_tenant_id_name",
                table: "groups",
                columns: new[] { "tenant_id", "name" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_documents_groups_tenant_id_owner_group_id",
                table: "documents",
                columns: new[] { "tenant_id", "owner_group_id" },
                principalTable: "groups",
                principalColumns: new[] { "tenant_id", "id" },
                onDelete: ReferentialAction.Restrict);

            TenantIsolationSql.Isolate(migrationBuilder, "groups");
            TenantIsolationSql.Isolate(migrationBuilder, "group_members");
            TenantIsolationSql.Isolate(migrationBuilder, "document_grants", hasIdentity: true);
            migrationBuilder.Sql($"""
                CREATE FUNCTION app_viewer() RETURNS text LANGUAGE sql STABLE
                    AS $$ SELECT coalesce(current_setting('{DatabaseNames.ViewerSetting}', true), '') $$;

                -- Whether the transaction's viewer sees a restricted document: every document for the admins and Dms
                -- itself ('{DatabaseNames.EveryDocument}'); else its owner, a member of the group that owns it, a grantee,
                -- or a member of a granted group. No viewer named: none.
                CREATE FUNCTION dms_sees_restricted(document uuid, owner_user text, owner_group uuid) RETURNS boolean
                LANGUAGE sql STABLE AS $$
                    SELECT app_viewer() = '{DatabaseNames.EveryDocument}' OR app_cross_tenant()
                        OR (app_viewer() <> '' AND (
                            owner_user = app_viewer()
                            OR EXISTS (SELECT FROM document_grants g WHERE g.document_id = document AND g.user_id = app_viewer())
                            OR EXISTS (SELECT FROM group_members m WHERE m.user_id = app_viewer()
                                       AND (m.group_id = owner_group
                                            OR EXISTS (SELECT FROM document_grants g WHERE g.document_id = document AND g.group_id = m.group_id)))))
                $$;

                -- The same for a document by id, its row read explicitly (the search functions run as the owner).
                CREATE FUNCTION dms_sees_document(document uuid) RETURNS boolean
                LANGUAGE sql STABLE AS $$
                    SELECT coalesce((SELECT NOT d.restricted OR dms_sees_restricted(d.id, d.owner_user_id, d.owner_group_id)
                                     FROM documents d WHERE d.id = document), false)
                $$;

                -- A row that belongs to a document shows with its document. These run as their caller, under its
                -- row-level security, and without a search_path of their own so that the planner inlines them.
                CREATE FUNCTION dms_document_visible(document uuid) RETURNS boolean
                LANGUAGE sql STABLE AS $$
                    SELECT app_viewer() = '{DatabaseNames.EveryDocument}' OR app_cross_tenant() OR dms_sees_document(document)
                $$;
                GRANT EXECUTE ON FUNCTION app_viewer(), dms_sees_restricted(uuid, text, uuid), dms_sees_document(uuid), dms_document_visible(uuid)
                    TO {DatabaseNames.AppRole};

                -- Restrictive: on top of the tenant's policy, never instead of it.
                CREATE POLICY document_access ON documents AS RESTRICTIVE FOR SELECT
                    USING (NOT restricted OR dms_sees_restricted(id, owner_user_id, owner_group_id));
                CREATE POLICY document_access ON document_versions AS RESTRICTIVE FOR SELECT USING (dms_document_visible(document_id));
                CREATE POLICY document_access ON document_texts AS RESTRICTIVE FOR SELECT USING (dms_document_visible(document_id));
                CREATE POLICY document_access ON notes AS RESTRICTIVE FOR SELECT USING (dms_document_visible(document_id));

                ALTER TABLE search_entries ADD COLUMN restricted boolean NOT NULL DEFAULT false;
                {SearchEntries.IndexFunction(SearchKeys.Vector, keys: true, restricted: true)}
                {SearchKeys.DropReadFunctions}
                {SearchEntries.SearchFunctions(capped: true, keys: true, permissions: true)}
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"""
                {SearchKeys.DropReadFunctions}
                {SearchEntries.SearchFunctions(capped: true, keys: true)}
                {SearchEntries.IndexFunction(SearchKeys.Vector, keys: true)}
                ALTER TABLE search_entries DROP COLUMN restricted;
                DROP POLICY document_access ON notes;
                DROP POLICY document_access ON document_texts;
                DROP POLICY document_access ON document_versions;
                DROP POLICY document_access ON documents;
                DROP FUNCTION dms_document_visible(uuid);
                DROP FUNCTION dms_sees_document(uuid);
                DROP FUNCTION dms_sees_restricted(uuid, text, uuid);
                DROP FUNCTION app_viewer();
                """);
            TenantIsolationSql.Unisolate(migrationBuilder, "document_grants");
            TenantIsolationSql.Unisolate(migrationBuilder, "group_members");
            TenantIsolationSql.Unisolate(migrationBuilder, "groups");

            migrationBuilder.DropForeignKey(
                name: "fk_documents_groups_tenant_id_owner_group_id",
                table: "documents");

            migrationBuilder.DropTable(
                name: "document_grants");

            migrationBuilder.DropTable(
                name: "group_members");

            migrationBuilder.DropTable(
                name: "groups");

            migrationBuilder.DropIndex(
                name: "ix_documents_tenant_id_owner_group_id",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "owner_group_id",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "owner_user_id",
                table: "documents");

            migrationBuilder.DropColumn(
                name: "restricted",
                table: "documents");
        }
    }
}
