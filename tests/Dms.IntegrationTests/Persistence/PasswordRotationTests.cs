using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Dms.Contracts;
using Dms.IntegrationTests.Api;
using Dms.IntegrationTests.Fixtures;
using Dms.Migrations;
using Dms.Persistence;
using Dms.TestSupport;
using Npgsql;

namespace Dms.IntegrationTests.Persistence;

/// <summary>
/// The application role's password rotates while the API serves requests. A cluster of its own: the role is
/// cluster-wide, and other tests' connections must not see its password change.
/// </summary>
public sealed class PasswordRotationTests : IAsyncLifetime
{
    private readonly TemporaryPostgres _postgres = new();
    private readonly string _passwordFile = Path.GetTempFileName();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _postgres.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        File.Delete(_passwordFile);
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task The_password_rotates_under_load_without_a_restart_and_no_request_fails()
    {
        var owner = await _postgres.CreateDatabaseAsync();
        Assert.Equal(RunnerCommand.Succeeded, await MigrationRuns.RunAsync(["up", "--connection", owner, "--app-password", _postgres.AppPassword], TextWriter.Null, TextWriter.Null));
        await File.WriteAllTextAsync(_passwordFile, _postgres.AppPassword, Cancellation);
        // No password in the connection string: it comes from the file. Connections live a second at most, so new
        // ones are opened all through the rotation, not only the few a warm pool would need.
        var app = new NpgsqlConnectionStringBuilder(owner) { Username = "dms_app", Password = null, ConnectionLifetime = 1, Pooling = true }.ConnectionString;
        await using var api = new ApiFactory(app, new Dictionary<string, string>
        {
            ["Dms:Database:PasswordFile"] = _passwordFile,
            ["Dms:Database:PasswordRefresh"] = "00:00:00.500",
            // What is measured is the rotation, not the rate limits: eight clients of one user can pass 100 requests a
            // second on a quiet machine, and a 429 would count as a failed request.
            ["Dms:RateLimits:Default:TenantRequestsPerSecond"] = "1000000",
            ["Dms:RateLimits:Default:UserRequestsPerSecond"] = "1000000",
        });
        using var operatorClient = api.CreateClient(TestTokens.For(null, Roles.Operator));
        var tenant = await ApiScenario.CreateTenantAsync(operatorClient, "Rotating", 1_000_000_000);
        using var editor = api.CreateClient(TestTokens.For(tenant, Roles.Editor));

        var answers = new ConcurrentBag<HttpStatusCode>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var bytes = Encoding.UTF8.GetBytes($"load {i} {n}");
                using var created = await editor.PostAsJsonAsync("/api/v1/documents", new
                {
                    fileName = $"load-{i}-{n}.txt",
                    contentType = "text/plain",
                    sizeBytes = bytes.Length,
                    sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
                }, CancellationToken.None);
                using var listed = await editor.GetAsync("/api/v1/documents?limit=5", CancellationToken.None);
                answers.Add(created.StatusCode);
                answers.Add(listed.StatusCode);
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(1), Cancellation);
        const string newPassword = "rotated-password-2";
        var rotatedAt = await ExecuteScalarAsync<DateTime>(owner, $"ALTER ROLE dms_app PASSWORD '{newPassword}'; SELECT now()");
        // The window a rotation has: the database already wants the new password, the secret still holds the old one.
        await Task.Delay(TimeSpan.FromSeconds(1), Cancellation);
        await File.WriteAllTextAsync(_passwordFile, newPassword, Cancellation);
        await Task.Delay(TimeSpan.FromSeconds(2), Cancellation);
        // Enough requests to count, however slowly a busy machine answers them: the load runs on until there are.
        for (var waited = TimeSpan.Zero; answers.Count <= 50 && waited < TimeSpan.FromMinutes(1); waited += TimeSpan.FromMilliseconds(200))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), Cancellation);
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);

        var connectedSinceRotation = await ExecuteScalarAsync<long>(owner,
            $"SELECT count(*) FROM pg_stat_activity WHERE usename = 'dms_app' AND backend_start > '{rotatedAt:O}'::timestamptz");
        var oldPassword = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(app) { Password = _postgres.AppPassword, Pooling = false }.ConnectionString);
            await connection.OpenAsync(Cancellation);
        });

        Assert.True(answers.Count > 50, $"Only {answers.Count} requests were answered.");
        Assert.All(answers, status => Assert.True(status is HttpStatusCode.Created or HttpStatusCode.OK, $"A request was answered {status}."));
        Assert.True(connectedSinceRotation > 0, "No connection was opened with the new password.");
        Assert.Equal(PostgresErrorCodes.InvalidPassword, oldPassword.SqlState);
    }

    /// <summary>
    /// The password is read again when the database refuses it, not only when its refresh comes round: a rotation costs
    /// a request the moment until the secret holds the new password, however long the refresh (10 s by default).
    /// </summary>
    [Fact]
    public async Task A_refused_password_is_read_again_at_once_so_a_rotation_does_not_wait_for_the_next_refresh()
    {
        var owner = await _postgres.CreateDatabaseAsync();
        Assert.Equal(RunnerCommand.Succeeded, await MigrationRuns.RunAsync(["up", "--connection", owner, "--app-password", _postgres.AppPassword], TextWriter.Null, TextWriter.Null));
        await File.WriteAllTextAsync(_passwordFile, _postgres.AppPassword, Cancellation);
        // Every open a new connection, so each request meets the password as the database wants it now.
        var app = new NpgsqlConnectionStringBuilder(owner) { Username = "dms_app", Password = null, Pooling = false }.ConnectionString;
        await using var api = new ApiFactory(app, new Dictionary<string, string>
        {
            ["Dms:Database:PasswordFile"] = _passwordFile,
            ["Dms:Database:PasswordRefresh"] = "00:05:00",
        });
        using var operatorClient = api.CreateClient(TestTokens.For(null, Roles.Operator));
        var tenant = await ApiScenario.CreateTenantAsync(operatorClient, "Rotating once", 1_000_000);
        using var editor = api.CreateClient(TestTokens.For(tenant, Roles.Editor));
        Assert.Equal(HttpStatusCode.OK, (await editor.GetAsync("/api/v1/documents", Cancellation)).StatusCode);

        await ExecuteScalarAsync<int>(owner, "ALTER ROLE dms_app PASSWORD 'rotated-once-1'; SELECT 1");
        var request = editor.GetAsync("/api/v1/documents", Cancellation);
        await Task.Delay(TimeSpan.FromSeconds(1), Cancellation);
        await File.WriteAllTextAsync(_passwordFile, "rotated-once-1", Cancellation);
        using var answer = await request;

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task A_password_the_database_keeps_refusing_is_a_database_unavailable_problem_once_the_wait_is_over()
    {
        var owner = await _postgres.CreateDatabaseAsync();
        Assert.Equal(RunnerCommand.Succeeded, await MigrationRuns.RunAsync(["up", "--connection", owner, "--app-password", _postgres.AppPassword], TextWriter.Null, TextWriter.Null));
        await File.WriteAllTextAsync(_passwordFile, "not-the-password", Cancellation);
        var app = new NpgsqlConnectionStringBuilder(owner) { Username = "dms_app", Password = null, Pooling = true }.ConnectionString;
        await using var api = new ApiFactory(app, new Dictionary<string, string>
        {
            ["Dms:Database:PasswordFile"] = _passwordFile,
            ["Dms:Database:PasswordRefresh"] = "00:00:00.200",
        });
        using var editor = api.CreateClient(TestTokens.For(Guid.NewGuid(), Roles.Editor));

        var response = await editor.GetAsync("/api/v1/documents", Cancellation);

        var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(Dms.Api.Problems.ProblemTypes.DatabaseUnavailable, problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_secrets_manager_secret_is_read_with_a_signed_get_secret_value_and_its_password_member_taken()
    {
        // What this cannot prove: that AWS accepts the call (no AWS here); it proves the request and the reading of the answer.
        using var credentials = EnvironmentVariables.Set(("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"));
        var port = LoopbackPort.Free();
        using var listener = new HttpListener { Prefixes = { $"http://127.0.0.1:{port}/" } };
        listener.Start();
        var served = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            var body = await new StreamReader(context.Request.InputStream).ReadToEndAsync();
            var request = (Target: context.Request.Headers["X-Amz-Target"], Authorization: context.Request.Headers["Authorization"], Body: body);
            var answer = Encoding.UTF8.GetBytes("""{"Name":"dms-app","SecretString":"{\"username\":\"dms_app\",\"password\":\"from-the-secret\"}"}""");
            context.Response.ContentType = "application/x-amz-json-1.1";
            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
            return request;
        });
        var options = new DatabasePasswordOptions
        {
            PasswordSecretId = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:dms-app-AbCdEf",
            SecretsManagerUrl = $"http://127.0.0.1:{port}/",
        };

        var password = await DatabasePassword.ReadAsync(options, Cancellation);
        var request = await served;

        Assert.Equal("from-the-secret", password);
        Assert.Equal("secretsmanager.GetSecretValue", request.Target);
        Assert.Contains("/eu-central-1/secretsmanager/aws4_request", request.Authorization);
        Assert.Equal("""{"SecretId":"arn:aws:secretsmanager:eu-central-1:123456789012:secret:dms-app-AbCdEf"}""", request.Body);
    }

    private static async Task<T> ExecuteScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(Cancellation))!;
    }
}
