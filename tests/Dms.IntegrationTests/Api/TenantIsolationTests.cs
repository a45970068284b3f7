using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dms.IntegrationTests.Fixtures;
using Dms.Persistence;
using Dms.Tenants.Quota;
using Dms.TestSupport;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Dms.IntegrationTests.Api;

[Collection(PostgresCollection.Name)]
public sealed class TenantIsolationTests(TemporaryPostgres postgres, ClassScenario shared) : IAsyncLifetime, IClassFixture<ClassScenario>
{
    private ApiScenario _scenario = null!;

    // The pool as the AppHost sizes it (four connections per core): with the driver's default of 100, the races' 64
    // requests each opened a connection of their own at once, and on a busy machine some of those 64 authentications
    // took longer than the two seconds a request may wait for a connection (503), before the race was even run.
    public async ValueTask InitializeAsync() =>
        _scenario = await shared.GetAsync(() => ApiScenario.StartAsync(postgres, quotaBytes: 40_000, poolSize: Environment.ProcessorCount * 4));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_query_without_a_tenant_filter_still_sees_only_the_callers_rows()
    {
        await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(100));
        await ApiScenario.CreateDocumentAsync(_scenario.EditorB, ApiScenario.RandomBytes(100));
        await ApiScenario.CreateDocumentAsync(_scenario.EditorB, ApiScenario.RandomBytes(100));
        await using var dataSource = NpgsqlDataSource.Create(postgres.AppConnectionString(_scenario.OwnerConnection));
        var options = new DbContextOptionsBuilder<DmsDbContext>();
        DmsDbContext.Configure(options, dataSource);
        await using var db = new DmsDbContext(options.Options);

        await using var transaction = await db.BeginTenantTransactionAsync(_scenario.TenantA, TestContext.Current.CancellationToken);
        // Deliberately no Where(d => d.TenantId == ...): row-level security must do the filtering.
        var documents = await db.Documents.ToListAsync(TestContext.Current.CancellationToken);
        var versions = await db.DocumentVersions.ToListAsync(TestContext.Current.CancellationToken);
        var tenants = await db.Tenants.ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(_scenario.TenantA, Assert.Single(documents).TenantId);
        Assert.Equal(_scenario.TenantA, Assert.Single(versions).TenantId);
        Assert.Equal([_scenario.TenantA], tenants.Select(t => t.Id));
    }

    [Fact]
    public async Task A_tenant_read_scope_sees_only_its_tenants_rows_and_leaves_no_tenant_behind_on_the_connection()
    {
        await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(100));
        await ApiScenario.CreateDocumentAsync(_scenario.EditorB, ApiScenario.RandomBytes(100));
        await ApiScenario.CreateDocumentAsync(_scenario.EditorB, ApiScenario.RandomBytes(100));
        // One connection at most, so the read after the scope runs on the very session the scope's queries ran on.
        await using var dataSource = NpgsqlDataSource.Create(postgres.AppConnectionString(_scenario.OwnerConnection) + ";Maximum Pool Size=1");
        await using var db = NewContext(dataSource);

        List<Dms.Documents.Document> ofA, ofB;
        using (db.ReadAsTenant(_scenario.TenantA))
        {
            ofA = await db.Documents.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
        }

        using (db.ReadAsTenant(_scenario.TenantB))
        {
            // Deliberately no Where(d => d.TenantId == ...): row-level security must do the filtering.
            ofB = await db.Documents.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
        }

        var afterwards = await db.Documents.AsNoTracking().CountAsync(TestContext.Current.CancellationToken);

        Assert.Equal([_scenario.TenantA], ofA.Select(d => d.TenantId));
        Assert.Equal([_scenario.TenantB, _scenario.TenantB], ofB.Select(d => d.TenantId));
        Assert.Equal(0, afterwards);
    }

    [Fact]
    public async Task A_tenant_read_scope_refuses_to_write_and_writes_nothing()
    {
        await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(100));
        await using var dataSource = NpgsqlDataSource.Create(postgres.AppConnectionString(_scenario.OwnerConnection));
        await using var db = NewContext(dataSource);

        using (db.ReadAsTenant(_scenario.TenantA))
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() =>
                db.Documents.ExecuteUpdateAsync(d => d.SetProperty(x => x.Title, "changed in a read"), TestContext.Current.CancellationToken));
        }

        var titles = await Sql.ScalarAsync(_scenario.OwnerConnection, "SELECT count(*) FROM documents WHERE title = 'changed in a read'");
        Assert.Equal(0L, titles);
    }

    [Fact]
    public async Task A_quota_charge_that_no_longer_fits_fails_its_commit_and_charges_nothing()
    {
        // Quota 40,000: two transactions charge 30,000 each (each fits alone); the first to commit wins.
        var cancellation = TestContext.Current.CancellationToken;
        await using var dataSource = NpgsqlDataSource.Create(postgres.AppConnectionString(_scenario.OwnerConnection));
        await using var first = NewContext(dataSource);
        await using var second = NewContext(dataSource);
        await using var one = await first.BeginTenantTransactionAsync(_scenario.TenantA, cancellation);
        await using var two = await second.BeginTenantTransactionAsync(_scenario.TenantA, cancellation);
        await new StorageQuota(first).ChargeAtCommitAsync(_scenario.TenantA, 30_000, cancellation);
        await new StorageQuota(second).ChargeAtCommitAsync(_scenario.TenantA, 30_000, cancellation);

        await one.CommitAsync(cancellation);
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => two.CommitAsync(cancellation));

        Assert.True(StorageQuota.RefusedTheCharge(refused), refused.ToString());
        Assert.Equal(30_000L, await Sql.ScalarAsync(_scenario.OwnerConnection, $"SELECT used_bytes FROM tenants WHERE id = '{_scenario.TenantA}'"));
        Assert.Equal(0L, await Sql.ScalarAsync(_scenario.OwnerConnection, $"SELECT count(*) FROM quota_charges WHERE tenant_id = '{_scenario.TenantA}'"));
    }

    private static DmsDbContext NewContext(NpgsqlDataSource dataSource)
    {
        var options = new DbContextOptionsBuilder<DmsDbContext>();
        DmsDbContext.Configure(options, dataSource);
        return new DmsDbContext(options.Options);
    }

    [Fact]
    public async Task Outside_a_tenant_transaction_the_app_role_sees_no_rows_at_all()
    {
        await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(100));

        var count = await Sql.ScalarAsync(postgres.AppConnectionString(_scenario.OwnerConnection), "SELECT count(*) FROM documents");

        Assert.Equal(0L, count);
    }

    [Fact]
    public async Task The_app_role_cannot_write_a_row_for_another_tenant()
    {
        var insert = $"""
            BEGIN;
            SELECT set_config('app.tenant_id', '{_scenario.TenantA}', true);
            INSERT INTO documents (id, tenant_id, title, file_name, content_type, size_bytes, status, created_at, updated_at, tags, current_version)
            VALUES (gen_random_uuid(), '{_scenario.TenantB}', 't', 'f', 'text/plain', 1, 'queued', now(), now(), ARRAY[]::text[], 1);
            """;

        var failure = await Assert.ThrowsAsync<PostgresException>(() => Sql.ScalarAsync(postgres.AppConnectionString(_scenario.OwnerConnection), insert));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, failure.SqlState);
    }

    [Fact]
    public async Task Another_tenants_document_answers_404_like_one_that_does_not_exist()
    {
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(100));
        var id = created.GetProperty("document").GetProperty("id").GetGuid();

        var foreign = await _scenario.EditorB.GetAsync($"/api/v1/documents/{id}", TestContext.Current.CancellationToken);
        var missing = await _scenario.EditorB.GetAsync($"/api/v1/documents/{Guid.NewGuid()}", TestContext.Current.CancellationToken);

        var foreignProblem = await ApiTests.AssertProblemAsync(foreign, HttpStatusCode.NotFound);
        var missingProblem = await ApiTests.AssertProblemAsync(missing, HttpStatusCode.NotFound);
        Assert.Equal(missingProblem.GetProperty("type").GetString(), foreignProblem.GetProperty("type").GetString());
        Assert.Equal(missingProblem.GetProperty("detail").GetString(), foreignProblem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Forty_concurrent_creates_over_the_quota_never_push_usage_past_it()
    {
        // Quota 40,000 bytes; 40 creates of 3,000 bytes want 120,000: exactly 13 fit.
        using var editor = _scenario.EditorA;
        var attempts = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => editor.PostAsJsonAsync("/api/v1/documents",
            new { fileName = $"f{i}.pdf", contentType = "application/pdf", sizeBytes = 3_000 }, TestContext.Current.CancellationToken)));

        var created = attempts.Count(r => r.StatusCode == HttpStatusCode.Created);
        var refused = attempts.Where(r => r.StatusCode == HttpStatusCode.Conflict).ToList();
        Assert.Equal(13, created);
        Assert.Equal(27, refused.Count);
        foreach (var response in refused)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            Assert.Equal("urn:dms:problem:quota-exceeded", problem.GetProperty("type").GetString());
        }

        Assert.Equal(39_000, await ApiScenario.UsedBytesAsync(editor));
        Assert.Equal(13L, await Sql.ScalarAsync(_scenario.OwnerConnection, $"SELECT count(*) FROM documents WHERE tenant_id = '{_scenario.TenantA}'"));
    }

    [Fact]
    public async Task Sixty_four_concurrent_creates_fill_the_quota_exactly_and_never_past_it()
    {
        // Quota 40,000 bytes; 64 creates of 1,000 bytes: exactly 40 fit, and the quota ends full, not short of it.
        using var editor = _scenario.EditorA;
        var attempts = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => editor.PostAsJsonAsync("/api/v1/documents",
            new { fileName = $"f{i}.txt", contentType = "text/plain", sizeBytes = 1_000 }, TestContext.Current.CancellationToken)));

        Assert.Equal(40, attempts.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(24, attempts.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(40_000, await ApiScenario.UsedBytesAsync(editor));
        Assert.Equal(40L, await Sql.ScalarAsync(_scenario.OwnerConnection, $"SELECT count(*) FROM document_versions WHERE tenant_id = '{_scenario.TenantA}'"));
        Assert.Equal(40L, await Sql.ScalarAsync(_scenario.OwnerConnection,
            $"SELECT count(*) FROM operation_events WHERE tenant_id = '{_scenario.TenantA}' AND kind = 'upload' AND outcome = 'initiated'"));
    }
}
