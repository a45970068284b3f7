using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Api;

/// <summary>The operator's status, health, document actions and user creation, against a real database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OperationsApiTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ApiScenario _scenario = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _scenario = await ApiScenario.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task Status_alerts_while_a_dead_letter_waits_and_is_ok_once_it_is_redriven()
    {
        var document = await CompletedDocumentAsync();
        await Sql.ScalarAsync(_scenario.OwnerConnection,
            $"UPDATE processing_jobs SET dead_lettered_at = now(), last_error = 'Malware scan timeout after 3 attempts' WHERE document_id = '{document}'");

        var alerting = await StatusAsync();
        var redriven = await _scenario.Operator.PostAsync("/api/v1/admin/dead-letters/redrive", null, Cancellation);
        var after = await StatusAsync();

        Assert.Equal("ALERT", alerting.GetProperty("state").GetString());
        Assert.Equal(("ALERT", 1.0), Row(alerting, "DLQ messages"));
        Assert.Equal(HttpStatusCode.OK, redriven.StatusCode);
        Assert.Equal(("OK", 0.0), Row(after, "DLQ messages"));
    }

    [Fact]
    public async Task Upload_success_counts_completed_uploads_against_completes_that_found_the_wrong_bytes()
    {
        await CompletedDocumentAsync();
        await CompletedDocumentAsync();
        var never = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(100));
        var refused = await _scenario.EditorA.PostAsync($"/api/v1/documents/{never.GetProperty("document").GetProperty("id").GetGuid()}/complete", null, Cancellation);

        var status = await StatusAsync();

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var upload = Metric(status, "Upload success");
        Assert.Equal(66.67, upload.GetProperty("value").GetDouble());
        Assert.Equal("ALERT", upload.GetProperty("state").GetString()); // below 95%
        Assert.Contains("2 of 3 uploads completed", upload.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Status_measures_this_apis_requests_and_names_each_rows_target_and_threshold()
    {
        await _scenario.EditorA.GetAsync("/api/v1/documents", Cancellation);

        var status = await StatusAsync();
        var latency = Metric(status, "API p95 latency");
        var errors = Metric(status, "API error rate");

        Assert.Equal(5, status.GetProperty("windowMinutes").GetInt32());
        Assert.True(latency.GetProperty("value").GetDouble() > 0);
        Assert.Equal("< 500", latency.GetProperty("target").GetString());
        Assert.Equal("> 1000", latency.GetProperty("alertAt").GetString());
        Assert.Equal(0, errors.GetProperty("value").GetDouble());
        Assert.Equal(["API p95 latency", "API error rate", "Upload success", "Processing success", "DLQ messages"],
            status.GetProperty("metrics").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("61")]
    public async Task A_window_out_of_range_is_a_400_naming_it(string minutes)
    {
        var response = await _scenario.Operator.GetAsync($"/api/v1/admin/status?minutes={minutes}", Cancellation);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("urn:dms:problem:invalid-minutes", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Health_has_one_entry_per_dependency()
    {
        var health = await _scenario.Operator.GetFromJsonAsync<JsonElement>("/health", Cancellation);
        var entries = health.GetProperty("entries");

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        foreach (var dependency in new[] { "PostgreSql", "queue", "storage", "search" })
        {
            Assert.Equal("Healthy", entries.GetProperty(dependency).GetProperty("status").GetString());
        }

        Assert.Contains("takes files", entries.GetProperty("storage").GetProperty("description").GetString());
    }

    [Fact]
    public async Task An_operator_shows_trashes_restores_reprocesses_and_force_deletes_any_tenants_document_by_id()
    {
        var id = await CompletedDocumentAsync();

        var shown = await _scenario.Operator.GetFromJsonAsync<JsonElement>($"/api/v1/admin/documents/{id}", Cancellation);
        var trashed = await _scenario.Operator.DeleteAsync($"/api/v1/admin/documents/{id}", Cancellation);
        var inTrash = await _scenario.EditorA.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}", Cancellation);
        var restored = await _scenario.Operator.PostAsync($"/api/v1/admin/documents/{id}/restore", null, Cancellation);
        var reprocessQueued = await _scenario.Operator.PostAsync($"/api/v1/admin/documents/{id}/reprocess", null, Cancellation);
        var purged = await _scenario.Operator.DeleteAsync($"/api/v1/admin/documents/{id}?permanent=true", Cancellation);
        var gone = await _scenario.EditorA.GetAsync($"/api/v1/documents/{id}", Cancellation);
        var unknown = await _scenario.Operator.GetAsync($"/api/v1/admin/documents/{Guid.NewGuid()}", Cancellation);

        Assert.Equal(id, shown.GetProperty("document").GetProperty("id").GetGuid());
        Assert.Equal(JsonValueKind.Array, shown.GetProperty("processing").ValueKind);
        Assert.Equal(HttpStatusCode.OK, trashed.StatusCode);
        Assert.Equal("deleted", inTrash.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        // Still queued (no worker runs here): only ready, failed or quarantined documents can be reprocessed.
        Assert.Equal(HttpStatusCode.Conflict, reprocessQueued.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, purged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(0L, await ApiScenario.UsedBytesAsync(_scenario.EditorA));
    }

    [Theory]
    [InlineData("not an address", "editor", "urn:dms:problem:invalid-email")]
    [InlineData("user@example.com", "operator", "urn:dms:problem:invalid-role")]
    [InlineData("user@example.com", null, "urn:dms:problem:invalid-role")]
    public async Task A_user_with_a_bad_email_or_role_is_a_400_naming_it(string email, string? role, string type)
    {
        var response = await _scenario.Operator.PostAsJsonAsync($"/api/v1/admin/tenants/{_scenario.TenantA}/users", new { email, role }, Cancellation);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(type, problem.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("user@example.com", "operator", "urn:dms:problem:invalid-role")]
    [InlineData("two@example.com, three@example.com", "viewer", "urn:dms:problem:invalid-email")]
    public async Task A_tenant_admin_adds_users_of_their_own_tenant_in_a_tenant_role_only(string email, string role, string type)
    {
        // An admin may not make an operator: that role spans every tenant.
        var response = await _scenario.AdminA.PostAsJsonAsync("/api/v1/tenant/users", new { email, role }, Cancellation);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(type, problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_user_of_an_unknown_tenant_is_a_404_and_without_a_user_pool_a_502_naming_the_setting()
    {
        var unknown = await _scenario.Operator.PostAsJsonAsync($"/api/v1/admin/tenants/{Guid.NewGuid()}/users",
            new { email = "user@example.com", role = "viewer" }, Cancellation);
        // The tests' API trusts a test issuer and names no user pool (Dms:Identity:Authority).
        var unreachable = await _scenario.Operator.PostAsJsonAsync($"/api/v1/admin/tenants/{_scenario.TenantA}/users",
            new { email = "user@example.com", role = "viewer" }, Cancellation);
        var problem = await unreachable.Content.ReadFromJsonAsync<JsonElement>(Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, unreachable.StatusCode);
        Assert.Equal("urn:dms:problem:identity-provider-error", problem.GetProperty("type").GetString());
        Assert.Contains("Dms:Identity:Authority", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_benchmarks_bare_endpoint_exists_only_when_switched_on_and_reads_one_tenants_document()
    {
        var id = await CompletedDocumentAsync();
        await using var benchmarked = new ApiFactory(postgres.AppConnectionString(_scenario.OwnerConnection),
            new Dictionary<string, string> { ["Dms:Benchmark:BareEndpoint"] = "true" });
        using var client = benchmarked.CreateClient();

        var off = await _scenario.Anonymous.GetAsync($"/bench/documents/{_scenario.TenantA}/{id}", Cancellation);
        var on = await client.GetFromJsonAsync<JsonElement>($"/bench/documents/{_scenario.TenantA}/{id}", Cancellation);
        var otherTenant = await client.GetAsync($"/bench/documents/{_scenario.TenantB}/{id}", Cancellation);

        Assert.Equal(HttpStatusCode.NotFound, off.StatusCode);
        Assert.Equal("report.pdf", on.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.StatusCode);
    }

    private async Task<Guid> CompletedDocumentAsync()
    {
        var bytes = ApiScenario.RandomBytes(500);
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, bytes);
        await _scenario.UploadAndCompleteAsync(_scenario.EditorA, created, bytes);
        return created.GetProperty("document").GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> StatusAsync() => await _scenario.Operator.GetFromJsonAsync<JsonElement>("/api/v1/admin/status", Cancellation);

    private static JsonElement Metric(JsonElement status, string name) =>
        status.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("name").GetString() == name);

    private static (string?, double) Row(JsonElement status, string name)
    {
        var metric = Metric(status, name);
        return (metric.GetProperty("state").GetString(), metric.GetProperty("value").GetDouble());
    }
}
