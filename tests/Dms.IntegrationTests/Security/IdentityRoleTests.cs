using Dms.Contracts;
using Dms.IntegrationTests.Fixtures;
using Dms.Migrations;
using Dms.TestSupport;
using Npgsql;

namespace Dms.IntegrationTests.Security;

/// <summary>
/// The identity provider keeps its accounts in the schema <c>identity</c> as <c>dms_identity</c>: it reaches no
/// tenant's data, the api's role does not reach the accounts, and rolling the schema back keeps them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class IdentityRoleTests(TemporaryPostgres postgres)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_providers_role_owns_its_schema_and_reaches_nothing_else_and_the_apis_role_not_the_accounts()
    {
        var (owner, identity) = await MigratedAsync();

        await Sql.ScalarAsync(identity, "CREATE TABLE identity.accounts (email text); INSERT INTO identity.accounts VALUES ('someone@example.com')");

        Assert.Equal(1L, await Sql.ScalarAsync(identity, "SELECT count(*) FROM identity.accounts"));
        foreach (var table in new[] { "documents", "tenants", "web_sessions", "processing_jobs" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync(identity, $"SELECT count(*) FROM {table}"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        var api = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync(postgres.AppConnectionString(owner), "SELECT count(*) FROM identity.accounts"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, api.SqlState);
    }

    /// <summary>
    /// The runbook's <c>dms migrate down</c> rolled back the schema's newest migration, which was the one that made the
    /// provider's schema: its Down dropped the schema, every account and grant with it, and the provider answered 500
    /// to every sign-in after (seen in the end-to-end runbook test). A rollback keeps the accounts.
    /// </summary>
    [Fact]
    public async Task Rolling_the_schema_back_and_up_again_keeps_the_providers_accounts()
    {
        var (owner, identity) = await MigratedAsync();
        await Sql.ScalarAsync(identity, "CREATE TABLE identity.accounts (email text); INSERT INTO identity.accounts VALUES ('someone@example.com')");

        Assert.Equal(RunnerCommand.Succeeded, await MigrationRuns.RunAsync(["down", "--to", "WebSessions", "--connection", owner], TextWriter.Null, TextWriter.Null));
        Assert.Equal(RunnerCommand.Succeeded, await MigrationRuns.RunAsync(["up", "--connection", owner], TextWriter.Null, TextWriter.Null));

        Assert.Equal(1L, await Sql.ScalarAsync(identity, "SELECT count(*) FROM identity.accounts"));
    }

    private async Task<(string Owner, string Identity)> MigratedAsync()
    {
        var owner = await postgres.CreateDatabaseAsync();
        const string identityPassword = "identity-role-password";
        Assert.Equal(RunnerCommand.Succeeded, await MigrationRuns.RunAsync(
            ["up", "--connection", owner, "--app-password", postgres.AppPassword, "--identity-password", identityPassword], TextWriter.Null, TextWriter.Null));
        return (owner, new NpgsqlConnectionStringBuilder(owner) { Username = DatabaseNames.IdentityRole, Password = identityPassword }.ConnectionString);
    }
}
