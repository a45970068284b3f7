using Dms.Contracts;
using Dms.IntegrationTests.Fixtures;
using Dms.Migrations;
using Dms.TestSupport;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dms.IntegrationTests.Migrations;

[Collection(PostgresCollection.Name)]
public sealed class MigrationRunnerTests(TemporaryPostgres postgres)
{
    private static readonly IReadOnlyList<string> AllMigrations = new DesignTimeDbContextFactory().CreateDbContext([]).Database.GetMigrations().ToList();
    private static readonly string[] AllTables = ["audit_archives", "audit_chain", "audit_events", "bytes_purges", "correspondents", "custom_fields", "document_grants", "document_texts", "document_type_fields", "document_types", "document_versions", "documents", "field_values", "group_members", "groups", "held_documents", "idempotency_keys", "legal_holds", "notes", "operation_events", "page_renderings", "processing_jobs", "processing_steps", "queue_turns", "quota_charges", "saved_views", "search_entries", "share_links", "tenants", "web_keys", "web_sessions"];

    [Fact]
    public async Task Up_creates_the_database_and_applies_every_migration()
    {
        var connection = postgres.ConnectionString($"created_by_up_{Guid.NewGuid():N}");

        var (exitCode, output, _) = await RunAsync("up", "--connection", connection);

        Assert.Equal(RunnerCommand.Succeeded, exitCode);
        Assert.All(AllMigrations, migration => Assert.Contains($"Applied {migration}", output));
        Assert.Contains($"Database is up to date at {AllMigrations[^1]}", output);
        Assert.Equal(AllTables, await TablesAsync(connection));
    }

    /// <summary>
    /// A table that holds a tenant's rows and forgot its policy would be readable by every tenant: each is isolated, or
    /// (the search index, reached only through its functions) out of the application role's reach altogether.
    /// </summary>
    [Fact]
    public async Task Every_table_with_a_tenant_column_the_app_can_reach_is_isolated_by_row_level_security_that_binds_its_owner_too()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await RunAsync("up", "--connection", connection);

        var tenantTables = await QueryNamesAsync(connection, """
            SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
            WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace ORDER BY 1
            """);
        var unisolated = await QueryNamesAsync(connection, """
            SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
            WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
              AND has_table_privilege('dms_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE')
              AND NOT (c.relrowsecurity AND c.relforcerowsecurity AND EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation'))
            ORDER BY 1
            """);

        Assert.Superset(new HashSet<string>(["correspondents", "custom_fields", "document_type_fields", "document_types", "documents", "field_values", "notes", "saved_views"]), tenantTables.ToHashSet());
        Assert.Empty(unisolated);
    }

    [Fact]
    public async Task Initial_schema_has_the_tenants_and_documents_columns_in_snake_case()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await RunAsync("up", "--connection", connection);

        Assert.Superset(
            new HashSet<string>(["created_at", "id", "name", "plan", "retention_days", "storage_quota_bytes"]),
            (await ColumnsAsync(connection, "tenants")).ToHashSet());
        Assert.Superset(
            new HashSet<string>(["content_type", "created_at", "deleted_at", "file_name", "id", "sha256", "size_bytes", "status", "tenant_id", "title", "updated_at"]),
            (await ColumnsAsync(connection, "documents")).ToHashSet());
    }

    [Fact]
    public void The_model_has_no_changes_missing_from_the_migrations()
    {
        using var db = new DesignTimeDbContextFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(), "The model changed: add a migration with 'Dms.Migrations create NAME'.");
    }

    [Fact]
    public async Task Up_twice_applies_nothing_the_second_time()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await RunAsync("up", "--connection", connection);

        var (exitCode, output, _) = await RunAsync("up", "--connection", connection);

        Assert.Equal(RunnerCommand.Succeeded, exitCode);
        Assert.DoesNotContain("Applied", output);
        Assert.Contains("up to date", output);
    }

    [Fact]
    public async Task Status_lists_pending_then_applied_migrations()
    {
        var connection = await postgres.CreateDatabaseAsync();

        var before = await RunAsync("status", "--connection", connection);
        await RunAsync("up", "--connection", connection);
        var after = await RunAsync("status", "--connection", connection);

        Assert.Equal(RunnerCommand.Succeeded, before.ExitCode);
        Assert.All(AllMigrations, migration => Assert.Matches($@"pending\s+{migration}", before.Output));
        Assert.Contains($"0 applied, {AllMigrations.Count} pending.", before.Output);
        Assert.All(AllMigrations, migration => Assert.Matches($@"applied\s+{migration}", after.Output));
        Assert.Contains($"{AllMigrations.Count} applied, 0 pending.", after.Output);
    }

    [Fact]
    public async Task Down_reverts_the_last_migration_and_up_brings_it_back()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await RunAsync("up", "--connection", connection);

        var down = await RunAsync("down", "--connection", connection);
        var status = await RunAsync("status", "--connection", connection);
        Assert.Equal(RunnerCommand.Succeeded, down.ExitCode);
        Assert.Contains($"Reverted {AllMigrations[^1]}", down.Output);
        Assert.Matches($@"pending\s+{AllMigrations[^1]}", status.Output);
        Assert.Contains($"{AllMigrations.Count - 1} applied, 1 pending.", status.Output);

        var up = await RunAsync("up", "--connection", connection);
        Assert.Equal(RunnerCommand.Succeeded, up.ExitCode);
        Assert.Equal(AllTables, await TablesAsync(connection));
    }

    /// <summary>
    /// A share link to a saved view has no document, and the schema before view links cannot hold one: the runbook's
    /// <c>dms migrate down</c> on a system with such a link failed (the column went back to NOT NULL with an empty id,
    /// which no document has). A rollback drops the view links and keeps the document links.
    /// </summary>
    [Fact]
    public async Task Down_past_view_share_links_drops_them_and_keeps_the_document_links()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await RunAsync("up", "--connection", connection);
        var (tenant, document) = (Guid.NewGuid(), Guid.NewGuid());
        await QueryNamesAsync(connection, $"""
            INSERT INTO tenants (id, name, plan, storage_quota_bytes, retention_days, created_at, used_bytes) VALUES ('{tenant}', 'T', 'pro', 1000000, 30, now(), 0);
            INSERT INTO documents (id, tenant_id, file_name, title, content_type, size_bytes, status, created_at, updated_at)
                VALUES ('{document}', '{tenant}', 'a.pdf', 'a', 'application/pdf', 1, 'ready', now(), now());
            INSERT INTO share_links (id, tenant_id, document_id, view_id, token_hash, created_by, created_at, expires_at, downloads, opens) VALUES
                (gen_random_uuid(), '{tenant}', '{document}', NULL, '\x01', 'a', now(), now() + interval '1 day', 0, 0),
                (gen_random_uuid(), '{tenant}', NULL, gen_random_uuid(), '\x02', 'a', now(), now() + interval '1 day', 0, 0);
            SELECT 'done'
            """, acrossTenants: true);

        var (exitCode, _, error) = await RunAsync("down", "--to", "StorageHoldsAndAuditArchive", "--connection", connection);

        Assert.True(exitCode == RunnerCommand.Succeeded, error);
        Assert.Equal([document.ToString()], await QueryNamesAsync(connection, "SELECT document_id::text FROM share_links", acrossTenants: true));
    }

    [Fact]
    public async Task Down_to_the_first_migration_reverts_the_ones_after_it()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await RunAsync("up", "--connection", connection);

        var (exitCode, output, _) = await RunAsync("down", "--to", "InitialSchema", "--connection", connection);

        Assert.Equal(RunnerCommand.Succeeded, exitCode);
        Assert.Contains($"Database is now at {AllMigrations[0]}.", output);
        Assert.Equal(["documents", "tenants"], await TablesAsync(connection));
    }

    [Fact]
    public async Task Up_with_an_app_password_lets_the_app_role_log_in_without_bypassing_row_security()
    {
        var connection = await postgres.CreateDatabaseAsync();

        var (exitCode, output, _) = await RunAsync("up", "--connection", connection, "--app-password", postgres.AppPassword);

        Assert.Equal(RunnerCommand.Succeeded, exitCode);
        Assert.Contains("Role dms_app can log in.", output);
        Assert.Equal(["false"], await QueryNamesAsync(postgres.AppConnectionString(connection),
            "SELECT (rolsuper OR rolbypassrls)::text FROM pg_roles WHERE rolname = current_user"));
    }

    [Fact]
    public async Task Down_to_zero_reverts_everything()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await RunAsync("up", "--connection", connection);

        var (exitCode, output, _) = await RunAsync("down", "--to", "0", "--connection", connection);

        Assert.Equal(RunnerCommand.Succeeded, exitCode);
        Assert.Contains("Database is now at no migration.", output);
        Assert.Empty(await TablesAsync(connection));
    }

    [Fact]
    public async Task Down_to_an_unknown_migration_fails_naming_it_and_changes_nothing()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await RunAsync("up", "--connection", connection);

        var (exitCode, _, error) = await RunAsync("down", "--to", "NoSuchMigration", "--connection", connection);

        Assert.Equal(RunnerCommand.Failed, exitCode);
        Assert.Contains("No migration named 'NoSuchMigration'", error);
        Assert.Equal(AllTables, await TablesAsync(connection));
    }

    [Fact]
    public async Task An_unreachable_database_fails_with_a_message()
    {
        var (exitCode, _, error) = await RunAsync("status", "--connection", "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=dms;Timeout=2");

        Assert.Equal(RunnerCommand.Failed, exitCode);
        Assert.Contains("Migrations 'status' failed", error);
    }

    [Fact]
    public async Task No_connection_string_is_a_usage_error_that_says_how_to_give_one()
    {
        var (exitCode, _, error) = await RunAsync("status");

        Assert.Equal(RunnerCommand.UsageError, exitCode);
        Assert.Contains("--connection", error);
        Assert.Contains("ConnectionStrings__dms", error);
    }

    [Theory]
    [InlineData("sideways")]
    [InlineData("up", "--to", "x")]
    [InlineData("create")]
    public async Task A_wrong_command_line_is_a_usage_error(params string[] args)
    {
        var (exitCode, _, _) = await RunAsync(args);

        Assert.Equal(RunnerCommand.UsageError, exitCode);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await MigrationRuns.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static Task<List<string>> TablesAsync(string connection) =>
        QueryNamesAsync(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory' ORDER BY 1");

    private static Task<List<string>> ColumnsAsync(string connection, string table) =>
        QueryNamesAsync(connection, $"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' ORDER BY 1");

    private static async Task<List<string>> QueryNamesAsync(string connectionString, string sql, bool acrossTenants = false)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        if (acrossTenants)
        {
            await using var setting = new NpgsqlCommand($"SELECT set_config('{DatabaseNames.CrossTenantSetting}', 'on', false)", connection);
            await setting.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
