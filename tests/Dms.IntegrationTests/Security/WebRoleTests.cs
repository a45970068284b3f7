using Dms.Contracts;
using Dms.IntegrationTests.Fixtures;
using Dms.Migrations;
using Dms.TestSupport;
using Npgsql;

namespace Dms.IntegrationTests.Security;

/// <summary>
/// The web app keeps its sessions in the database as <c>dms_web</c>: a web server taken over must not read a tenant's
/// documents from there, and the api's role must not read the sessions (their tokens).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WebRoleTests(TemporaryPostgres postgres)
{
    [Fact]
    public async Task The_web_apps_role_reaches_its_sessions_and_no_tenants_data_and_the_apis_role_not_the_sessions()
    {
        var owner = await postgres.CreateDatabaseAsync();
        const string webPassword = "web-role-password";
        Assert.Equal(RunnerCommand.Succeeded, await MigrationRuns.RunAsync(
            ["up", "--connection", owner, "--app-password", postgres.AppPassword, "--web-password", webPassword], TextWriter.Null, TextWriter.Null));
        var web = new NpgsqlConnectionStringBuilder(owner) { Username = DatabaseNames.WebRole, Password = webPassword }.ConnectionString;

        await Sql.ScalarAsync(web, "INSERT INTO web_sessions (id, ticket, signed_in_at, expires_at) VALUES ('s1', '\\x00', now(), now() + interval '1 hour')");
        var sessions = await Sql.ScalarAsync(web, "SELECT count(*) FROM web_sessions");

        Assert.Equal(1L, sessions);
        foreach (var table in new[] { "documents", "document_versions", "document_texts", "tenants", "search_entries", "processing_jobs", "idempotency_keys" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync(web, $"SELECT count(*) FROM {table}"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        var apiRefused = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync(postgres.AppConnectionString(owner), "SELECT count(*) FROM web_sessions"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, apiRefused.SqlState);
    }
}
