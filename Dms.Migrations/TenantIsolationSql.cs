using Dms.Contracts;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Dms.Migrations;

/// <summary>
/// Row-level security: every tenant-owned table shows a transaction only the rows of the tenant in its
/// <c>app.tenant_id</c> setting, unless the transaction declares itself cross-tenant (<c>app.cross_tenant = on</c>,
/// set only by the operator use cases and the worker). The application connects as <c>dms_app</c>, which owns no table
/// and cannot bypass row-level security; the tables are FORCEd so that even their owner obeys the policies.
/// </summary>
public static class TenantIsolationSql
{
    public static void CreateAppRoleAndSettings(MigrationBuilder migration)
    {
        migration.Sql($"""
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{DatabaseNames.AppRole}') THEN
                    CREATE ROLE {DatabaseNames.AppRole} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
                END IF;
            END $$;
            GRANT USAGE ON SCHEMA public TO {DatabaseNames.AppRole};
            GRANT SELECT ON "__EFMigrationsHistory" TO {DatabaseNames.AppRole};

            CREATE FUNCTION app_tenant_id() RETURNS uuid LANGUAGE sql STABLE
                AS $$ SELECT nullif(current_setting('{DatabaseNames.TenantSetting}', true), '')::uuid $$;
            CREATE FUNCTION app_cross_tenant() RETURNS boolean LANGUAGE sql STABLE
                AS $$ SELECT coalesce(current_setting('{DatabaseNames.CrossTenantSetting}', true), '') = 'on' $$;
            """);
    }

    public static void DropAppSettings(MigrationBuilder migration)
    {
        // The role is shared by every database of the cluster: it stays, without its rights on this one.
        migration.Sql($"""
            REVOKE SELECT ON "__EFMigrationsHistory" FROM {DatabaseNames.AppRole};
            REVOKE USAGE ON SCHEMA public FROM {DatabaseNames.AppRole};
            DROP FUNCTION app_cross_tenant();
            DROP FUNCTION app_tenant_id();
            """);
    }

    /// <summary>Grants the app role its rights on a table and isolates it by <paramref name="tenantColumn"/>.</summary>
    public static void Isolate(MigrationBuilder migration, string table, string tenantColumn = "tenant_id", bool hasIdentity = false)
    {
        migration.Sql($"""
            GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {DatabaseNames.AppRole};
            {(hasIdentity ? $"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {DatabaseNames.AppRole};" : "")}
            ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
            ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
            CREATE POLICY tenant_isolation ON {table}
                USING ({tenantColumn} = app_tenant_id() OR app_cross_tenant())
                WITH CHECK ({tenantColumn} = app_tenant_id() OR app_cross_tenant());
            """);
    }

    /// <summary>
    /// Like <see cref="Isolate"/>, but the app role may only add and read rows: an append-only table (the audit trail),
    /// whose rows no application code can change or delete.
    /// </summary>
    public static void IsolateAppendOnly(MigrationBuilder migration, string table, bool hasIdentity = false)
    {
        migration.Sql($"""
            GRANT SELECT, INSERT ON {table} TO {DatabaseNames.AppRole};
            {(hasIdentity ? $"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {DatabaseNames.AppRole};" : "")}
            ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
            ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
            CREATE POLICY tenant_isolation ON {table}
                USING (tenant_id = app_tenant_id() OR app_cross_tenant())
                WITH CHECK (tenant_id = app_tenant_id() OR app_cross_tenant());
            """);
    }

    public static void Unisolate(MigrationBuilder migration, string table)
    {
        migration.Sql($"""
            DROP POLICY tenant_isolation ON {table};
            ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
            ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
            REVOKE ALL ON {table} FROM {DatabaseNames.AppRole};
            """);
    }
}
