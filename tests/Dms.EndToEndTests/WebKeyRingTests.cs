using Dms.Contracts;
using Dms.Migrations;
using Dms.Persistence;
using Dms.TestSupport;
using Dms.Web.Account;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Dms.EndToEndTests;

/// <summary>
/// Several web tasks (AWS runs two or more) share one key ring in the database: what one seals (a session cookie, an
/// antiforgery token) the other opens, and the web app's role may add keys but never rewrite or remove one.
/// </summary>
public sealed class WebKeyRingTests(TemporaryPostgres postgres) : IClassFixture<TemporaryPostgres>
{
    [Fact]
    public async Task Two_web_tasks_on_one_database_open_what_the_other_sealed_and_the_web_role_only_adds_keys()
    {
        var owner = await postgres.CreateDatabaseAsync();
        const string webPassword = "web-key-ring-password";
        Assert.Equal(RunnerCommand.Succeeded, await RunnerCommand.RunAsync(
            ["up", "--connection", owner, "--app-password", postgres.AppPassword, "--web-password", webPassword], TextWriter.Null, TextWriter.Null));
        var web = new NpgsqlConnectionStringBuilder(owner) { Username = DatabaseNames.WebRole, Password = webPassword, Pooling = false }.ConnectionString;
        await using var database = NpgsqlDataSource.Create(web);

        using var first = WebTask(database);
        using var second = WebTask(database);
        var sealedByFirst = Protector(first).Protect("a session's key");
        var openedBySecond = Protector(second).Unprotect(sealedByFirst);

        Assert.Equal("a session's key", openedBySecond);
        Assert.Equal(1L, await ScalarAsync(web, "SELECT count(*) FROM web_keys"));
        foreach (var change in new[] { "DELETE FROM web_keys", "UPDATE web_keys SET xml = '<key/>'" })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(web, change));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
    }

    /// <summary>A web task's data protection, set up by the web app's own code with <c>Dms:Web:KeysInDatabase</c>.</summary>
    private static ServiceProvider WebTask(NpgsqlDataSource database)
    {
        var services = new ServiceCollection();
        services.AddSingleton(database);
        services.AddSingleton(new DatabaseConnections(new RotatingPassword(new DatabasePasswordOptions())));
        services.AddCookieKeys(new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Dms:Web:KeysInDatabase", (string?)"true")]).Build());
        return services.BuildServiceProvider();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    private static IDataProtector Protector(IServiceProvider task) =>
        task.GetRequiredService<IDataProtectionProvider>().CreateProtector("Dms.Web.Sessions");
}
