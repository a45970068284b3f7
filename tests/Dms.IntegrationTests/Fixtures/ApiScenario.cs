using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Dms.Contracts;
using Dms.Migrations;
using Dms.TestSupport;
using Npgsql;

namespace Dms.IntegrationTests.Fixtures;

/// <summary>
/// A migrated database, the API on it as the application role, and two tenants made through the operator API,
/// with clients for each role.
/// </summary>
public sealed class ApiScenario : IAsyncDisposable
{
    private ApiScenario(ApiFactory api, string ownerConnection, Guid tenantA, Guid tenantB, long quotaBytes, bool ownsApi = true)
    {
        Api = api;
        OwnerConnection = ownerConnection;
        TenantA = tenantA;
        TenantB = tenantB;
        _quotaBytes = quotaBytes;
        _ownsApi = ownsApi;
    }

    private readonly long _quotaBytes;
    private readonly bool _ownsApi;

    public ApiFactory Api { get; }
    public string OwnerConnection { get; }
    public Guid TenantA { get; }
    public Guid TenantB { get; }

    public HttpClient Anonymous => Api.CreateClient();
    public HttpClient Operator => Api.CreateClient(TestTokens.For(null, Roles.Operator));
    public HttpClient ViewerA => Api.CreateClient(TestTokens.For(TenantA, Roles.Viewer));
    public HttpClient EditorA => Api.CreateClient(TestTokens.For(TenantA, Roles.Editor));
    public HttpClient AdminA => Api.CreateClient(TestTokens.For(TenantA, Roles.Admin));
    public HttpClient EditorB => Api.CreateClient(TestTokens.For(TenantB, Roles.Editor));

    /// <param name="poolSize">The API's most connections to the database, where a test needs it small.</param>
    /// <param name="overLoopback">
    /// Served by Kestrel on 127.0.0.1 rather than in memory: for tests of what happens while bytes are on the wire (the
    /// in-memory server hands the API a request only once its body is all there).
    /// </param>
    public static async Task<ApiScenario> StartAsync(
        TemporaryPostgres postgres, long quotaBytes = 1_000_000_000, IReadOnlyDictionary<string, string>? settings = null, int? poolSize = null,
        bool overLoopback = false)
    {
        var owner = await MigratedDatabaseAsync(postgres);
        var connection = new NpgsqlConnectionStringBuilder(postgres.AppConnectionString(owner));
        if (poolSize is { } size)
        {
            connection.MaxPoolSize = size;
        }

        var api = new ApiFactory(connection.ConnectionString, settings);
        if (overLoopback)
        {
            api.UseKestrel(0);
            api.StartServer();
        }

        using var operatorClient = api.CreateClient(TestTokens.For(null, Roles.Operator));
        var a = await CreateTenantAsync(operatorClient, $"Tenant A {Guid.NewGuid():N}", quotaBytes);
        var b = await CreateTenantAsync(operatorClient, $"Tenant B {Guid.NewGuid():N}", quotaBytes);
        return new ApiScenario(api, owner, a, b, quotaBytes);
    }

    /// <summary>Two new tenants (with the same quota) on this scenario's API and database, for a test of its own; disposing it leaves the API running.</summary>
    public async Task<ApiScenario> WithNewTenantsAsync()
    {
        using var operatorClient = Api.CreateClient(TestTokens.For(null, Roles.Operator));
        var a = await CreateTenantAsync(operatorClient, $"Tenant A {Guid.NewGuid():N}", _quotaBytes);
        var b = await CreateTenantAsync(operatorClient, $"Tenant B {Guid.NewGuid():N}", _quotaBytes);
        return new ApiScenario(Api, OwnerConnection, a, b, _quotaBytes, ownsApi: false);
    }

    /// <summary>A database with every migration applied, as its owner: migrated once per server, copied for each caller.</summary>
    public static Task<string> MigratedDatabaseAsync(TemporaryPostgres postgres) =>
        postgres.CreatePreparedDatabaseAsync(async template => Assert.Equal(
            RunnerCommand.Succeeded, await MigrationRuns.RunAsync(["up", "--connection", template, "--app-password", postgres.AppPassword], TextWriter.Null, TextWriter.Null)));

    public static async Task<Guid> CreateTenantAsync(HttpClient operatorClient, string name, long quotaBytes)
    {
        var response = await operatorClient.PostAsJsonAsync("/api/v1/admin/tenants", new { name, plan = "pro", storageQuotaBytes = quotaBytes, retentionDays = 30 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Creates a document for <paramref name="bytes"/>; returns the created body (document, version, upload).</summary>
    public static async Task<JsonElement> CreateDocumentAsync(HttpClient client, byte[] bytes, string fileName = "report.pdf", string contentType = "application/pdf", bool declareChecksum = true)
    {
        var response = await client.PostAsJsonAsync("/api/v1/documents", new
        {
            fileName,
            contentType,
            sizeBytes = bytes.LongLength,
            sha256 = declareChecksum ? Sha256(bytes) : null,
            tags = new[] { "Finance", "q3" },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Sends the bytes to the upload instruction's URL, the way a client would (no bearer token).</summary>
    public async Task<HttpResponseMessage> UploadAsync(JsonElement created, HttpContent content)
    {
        var upload = created.GetProperty("upload");
        using var request = new HttpRequestMessage(new HttpMethod(upload.GetProperty("method").GetString()!), upload.GetProperty("url").GetString()) { Content = content };
        return await Anonymous.SendAsync(request);
    }

    public async Task<JsonElement> UploadAndCompleteAsync(HttpClient client, JsonElement created, byte[] bytes)
    {
        var uploaded = await UploadAsync(created, new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        var id = created.GetProperty("document").GetProperty("id").GetGuid();
        var completed = await client.PostAsync($"/api/v1/documents/{id}/complete", null);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        return await completed.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>
    /// Records a clean scan verdict on every completed version of the document, as the worker's scan step does: for
    /// tests of the API alone, since only scanned versions are served.
    /// </summary>
    public Task PassScanAsync(Guid documentId) =>
        Sql.ScalarAsync(OwnerConnection, $"UPDATE document_versions SET scan_verdict = 'clean' WHERE document_id = '{documentId}' AND completed_at IS NOT NULL");

    public static async Task<long> UsedBytesAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/tenant")).GetProperty("tenant").GetProperty("usedBytes").GetInt64();

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsApi)
        {
            await Api.DisposeAsync();
        }
    }
}
