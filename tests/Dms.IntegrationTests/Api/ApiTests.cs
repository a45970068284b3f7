using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.Api.Problems;
using Dms.Contracts;
using Dms.IntegrationTests.Fixtures;
using Dms.Migrations;
using Dms.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Dms.IntegrationTests.Api;

[Collection(PostgresCollection.Name)]
public sealed class ApiTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private HttpClient _client = null!;
    private string _appConnection = null!;

    public async ValueTask InitializeAsync()
    {
        // A copy of the migrated database: running the migrations for each test costs more than the test.
        var connection = await ApiScenario.MigratedDatabaseAsync(postgres);
        _appConnection = postgres.AppConnectionString(connection);
        _api = new ApiFactory(_appConnection);
        _client = _api.CreateClient();
    }

    [Fact]
    public async Task Info_says_where_to_sign_in_and_nothing_about_the_servers_and_may_be_cached()
    {
        var response = await _client.GetAsync("/api/v1/info", TestContext.Current.CancellationToken);
        var info = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(["identity", "service"], info.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(TestTokens.Audience, info.GetProperty("identity").GetProperty("clientId").GetString());
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl?.MaxAge);
    }

    [Fact]
    public async Task Server_info_reports_to_operators_the_schema_version_read_from_the_database()
    {
        using var asOperator = _api.CreateClient(TestTokens.For(null, Roles.Operator));
        var info = await asOperator.GetFromJsonAsync<JsonElement>("/api/v1/admin/info", TestContext.Current.CancellationToken);

        var migrations = new DesignTimeDbContextFactory().CreateDbContext([]).Database.GetMigrations().ToList();
        Assert.Equal(migrations[^1], info.GetProperty("schemaVersion").GetString());
        Assert.Equal(migrations.Count, info.GetProperty("appliedMigrations").GetInt32());
        Assert.StartsWith("15.", info.GetProperty("databaseVersion").GetString());
    }

    [Fact]
    public async Task Health_reports_the_database_as_its_own_entry()
    {
        using var asOperator = _api.CreateClient(TestTokens.For(null, Roles.Operator));
        var health = await asOperator.GetFromJsonAsync<JsonElement>("/health", TestContext.Current.CancellationToken);

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("entries").GetProperty("PostgreSql").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Alive_answers_without_asking_the_database()
    {
        var alive = await _client.GetFromJsonAsync<JsonElement>("/alive", TestContext.Current.CancellationToken);

        Assert.Equal("Healthy", alive.GetProperty("status").GetString());
        Assert.False(alive.GetProperty("entries").TryGetProperty("PostgreSql", out _));
    }

    [Fact]
    public async Task An_unknown_route_is_a_not_found_problem()
    {
        var response = await _client.GetAsync("/api/v1/no-such-thing", TestContext.Current.CancellationToken);

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(ProblemTypes.NotFound, problem.GetProperty("type").GetString());
        Assert.Equal("/api/v1/no-such-thing", problem.GetProperty("instance").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
    }

    [Fact]
    public async Task A_wrong_method_is_a_method_not_allowed_problem()
    {
        var response = await _client.DeleteAsync("/api/v1/info", TestContext.Current.CancellationToken);

        var problem = await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(ProblemTypes.MethodNotAllowed, problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task OpenApi_document_describes_the_info_endpoint()
    {
        var document = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", TestContext.Current.CancellationToken);

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/info", out _));
    }

    /// <summary>
    /// The document a client is generated from, as the build wrote it to the repository (Dms.Api/openapi): the same
    /// operations and schemas the running API serves, every operation named once, the bearer scheme on each that needs
    /// a token, and Redocly's recommended rules passing with no error.
    /// </summary>
    [Fact]
    public async Task OpenApi_document_is_a_contract_a_client_can_be_generated_from()
    {
        var file = Path.Combine(Fauxqs.RepositoryRoot(), "Dms.Api", "openapi", "Dms.Api.json");
        var written = JsonDocument.Parse(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken)).RootElement;
        var served = await _client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Equal(served.GetProperty("paths").GetRawText(), written.GetProperty("paths").GetRawText());
        Assert.Equal(served.GetProperty("components").GetRawText(), written.GetProperty("components").GetRawText());

        var operations = written.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Path: path.Name, Method: op.Name, Operation: op.Value))).ToList();
        var ids = operations.Select(o => o.Operation.TryGetProperty("operationId", out var id) ? id.GetString() : null).ToList();
        Assert.DoesNotContain(null, ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal("http", written.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("type").GetString());
        Assert.All(operations.Where(o => o.Path.StartsWith("/api/v1/", StringComparison.Ordinal) && o.Path is not "/api/v1/info" && !o.Path.StartsWith("/api/v1/uploads/", StringComparison.Ordinal)
                && !o.Path.StartsWith("/api/v1/shared/", StringComparison.Ordinal)),
            o => Assert.NotEmpty(o.Operation.GetProperty("security")[0].EnumerateObject()));

        var redocly = Path.Combine(Fauxqs.RepositoryRoot(), "tools", "redocly", "node_modules", ".bin", "redocly");
        var lint = await ProcessRunner.RunAsync(redocly, ["lint", "--extends", "recommended", "--format", "stylish", file]);
        Assert.True(lint.ExitCode == 0, $"redocly lint found errors:\n{lint}");
    }

    [Fact]
    public async Task With_the_api_reference_off_neither_the_pages_nor_the_openapi_document_are_served()
    {
        await using var api = new ApiFactory(_appConnection, new Dictionary<string, string> { ["Dms:ApiReference:Enabled"] = "false" });
        using var client = api.CreateClient();

        foreach (var path in new[] { "/openapi/v1.json", "/scalar/", "/scalar/scalar.js" })
        {
            using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Api_reference_page_loads_its_script_from_the_api_itself_not_a_cdn()
    {
        var page = await _client.GetStringAsync("/scalar/", TestContext.Current.CancellationToken);
        var script = await _client.GetAsync("/scalar/scalar.js", TestContext.Current.CancellationToken);

        Assert.Contains("<script src=\"scalar.js\"></script>", page);
        Assert.DoesNotContain("http://", page);
        Assert.DoesNotContain("https://", page);
        Assert.Contains("\"withDefaultFonts\":false", page);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length > 100_000);
    }

    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
    }
}
