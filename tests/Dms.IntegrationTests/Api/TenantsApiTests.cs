using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Api;

[Collection(PostgresCollection.Name)]
public sealed class TenantsApiTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private ApiScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres, quotaBytes: 1_000_000));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task An_operator_adds_lists_changes_and_reads_a_tenant()
    {
        var id = await ApiScenario.CreateTenantAsync(_scenario.Operator, "Acme", 5_000);

        var changed = await _scenario.Operator.PatchAsJsonAsync($"/api/v1/admin/tenants/{id}", new { plan = "enterprise", retentionDays = 90 },
            TestContext.Current.CancellationToken);
        var all = await _scenario.Operator.GetFromJsonAsync<JsonElement>("/api/v1/admin/tenants", TestContext.Current.CancellationToken);
        var one = await _scenario.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/admin/tenants/{id}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains(all.EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);
        Assert.Equal("enterprise", one.GetProperty("plan").GetString());
        Assert.Equal(90, one.GetProperty("retentionDays").GetInt32());
        Assert.Equal(5_000, one.GetProperty("storageQuotaBytes").GetInt64());
    }

    [Fact]
    public async Task Usage_counts_documents_and_bytes_by_status_per_tenant_and_for_all()
    {
        var bytes = ApiScenario.RandomBytes(700);
        var ready = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, bytes);
        await _scenario.UploadAndCompleteAsync(_scenario.EditorA, ready, bytes);
        await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(300));

        var usage = await _scenario.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/admin/tenants/{_scenario.TenantA}/usage", TestContext.Current.CancellationToken);
        var all = await _scenario.Operator.GetFromJsonAsync<JsonElement>("/api/v1/admin/tenants/usage", TestContext.Current.CancellationToken);
        var own = await _scenario.ViewerA.GetFromJsonAsync<JsonElement>("/api/v1/tenant", TestContext.Current.CancellationToken);

        Assert.Equal(2, usage.GetProperty("documents").GetInt32());
        Assert.Equal(1_000, usage.GetProperty("usedBytes").GetInt64());
        Assert.Equal(1, usage.GetProperty("byStatus").GetProperty("queued").GetProperty("documents").GetInt32());
        Assert.Equal(700, usage.GetProperty("byStatus").GetProperty("queued").GetProperty("bytes").GetInt64());
        Assert.Equal(300, usage.GetProperty("byStatus").GetProperty("pending_upload").GetProperty("bytes").GetInt64());
        Assert.Equal(2, all.EnumerateArray().Single(t => t.GetProperty("tenantId").GetGuid() == _scenario.TenantA).GetProperty("documents").GetInt32());
        Assert.Equal(0, all.EnumerateArray().Single(t => t.GetProperty("tenantId").GetGuid() == _scenario.TenantB).GetProperty("documents").GetInt32());
        Assert.Equal(1_000, own.GetProperty("usage").GetProperty("usedBytes").GetInt64());
        Assert.Equal(_scenario.TenantA, own.GetProperty("tenant").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task A_second_tenant_with_the_same_name_is_a_conflict()
    {
        await ApiScenario.CreateTenantAsync(_scenario.Operator, "Twice", 1);

        var again = await _scenario.Operator.PostAsJsonAsync("/api/v1/admin/tenants", new { name = "Twice", plan = "pro", storageQuotaBytes = 1, retentionDays = 1 },
            TestContext.Current.CancellationToken);

        var problem = await ApiTests.AssertProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Equal("urn:dms:problem:tenant-name-taken", problem.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("""{"plan":"pro","storageQuotaBytes":1,"retentionDays":1}""", "invalid-tenant")]
    [InlineData("""{"name":"","plan":"pro","storageQuotaBytes":1,"retentionDays":1}""", "invalid-name")]
    [InlineData("""{"name":"N","plan":"pro","storageQuotaBytes":-1,"retentionDays":1}""", "invalid-storage-quota")]
    [InlineData("""{"name":"N","plan":"pro","storageQuotaBytes":1,"retentionDays":-1}""", "invalid-retention")]
    public async Task A_bad_tenant_is_a_problem_naming_it(string body, string code)
    {
        var response = await _scenario.Operator.PostAsync("/api/v1/admin/tenants", new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

        var problem = await ApiTests.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal($"urn:dms:problem:{code}", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_unknown_tenant_is_404()
    {
        var response = await _scenario.Operator.GetAsync($"/api/v1/admin/tenants/{Guid.NewGuid()}", TestContext.Current.CancellationToken);

        await ApiTests.AssertProblemAsync(response, HttpStatusCode.NotFound);
    }
}
