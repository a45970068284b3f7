using Dms.Adapters.Postgres;
using Dms.IntegrationTests.Fixtures;
using Dms.Queue;
using Dms.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dms.IntegrationTests.Queue;

/// <summary>The embedded queue on a real PostgreSQL, connected as the application role like the worker.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresJobQueueTests(TemporaryPostgres postgres) : JobQueueContract, IAsyncLifetime
{
    private ApiScenario _scenario = null!;
    private NpgsqlDataSource _dataSource = null!;
    private PostgresJobQueue _queue = null!;
    private JobNotifications _notifications = null!;
    private Guid _document;
    private Guid _documentOfB;

    protected override IJobQueue Queue => _queue;

    public async ValueTask InitializeAsync()
    {
        _scenario = await ApiScenario.StartAsync(postgres);
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, ApiScenario.RandomBytes(10));
        _document = created.GetProperty("document").GetProperty("id").GetGuid();
        var createdOfB = await ApiScenario.CreateDocumentAsync(_scenario.EditorB, ApiScenario.RandomBytes(10));
        _documentOfB = createdOfB.GetProperty("document").GetProperty("id").GetGuid();
        _dataSource = NpgsqlDataSource.Create(postgres.AppConnectionString(_scenario.OwnerConnection));
        _notifications = new JobNotifications(_dataSource, NullLogger<JobNotifications>.Instance);
        _queue = new PostgresJobQueue(_dataSource, _notifications, Options.Create(new QueueOptions { Lease = Lease }));
    }

    public async ValueTask DisposeAsync()
    {
        await _notifications.DisposeAsync();
        await _dataSource.DisposeAsync();
        await _scenario.DisposeAsync();
    }

    protected override async Task<JobMessage> EnqueueAsync(int version)
    {
        await Sql.ScalarAsync(_scenario.OwnerConnection,
            $"INSERT INTO processing_jobs (tenant_id, document_id, version, created_at, available_at) VALUES ('{_scenario.TenantA}', '{_document}', {version}, now(), now())");
        return new JobMessage(_scenario.TenantA, _document, version);
    }

    protected override async Task<Guid> EnqueueManyAsync(Tenant tenant, int count)
    {
        var (tenantId, document) = tenant == Tenant.A ? (_scenario.TenantA, _document) : (_scenario.TenantB, _documentOfB);
        await Sql.ScalarAsync(_scenario.OwnerConnection,
            $"""
            INSERT INTO processing_jobs (tenant_id, document_id, version, created_at, available_at)
            SELECT '{tenantId}', '{document}', v, now(), now() FROM generate_series(1, {count}) AS v
            """);
        return tenantId;
    }

    [Fact]
    public async Task Takes_that_fail_give_their_connections_back_to_the_pool()
    {
        // A pool of two: with one connection kept by each failed take, the third take would wait for a connection forever.
        var connections = new NpgsqlConnectionStringBuilder(postgres.AppConnectionString(_scenario.OwnerConnection)) { MaxPoolSize = 2, Timeout = 3 };
        await using var dataSource = NpgsqlDataSource.Create(connections.ConnectionString);
        await using var notifications = new JobNotifications(dataSource, NullLogger<JobNotifications>.Instance);
        var queue = new PostgresJobQueue(dataSource, notifications, Options.Create(new QueueOptions { Lease = Lease }));
        await using (var locker = new NpgsqlConnection(_scenario.OwnerConnection))
        {
            await locker.OpenAsync(TestContext.Current.CancellationToken);
            await using var transaction = await locker.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE processing_jobs IN ACCESS EXCLUSIVE MODE", locker, transaction))
            {
                await lockTable.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            // Each take waits on the lock until it is cancelled: a statement that fails after its connection opened.
            for (var i = 0; i < 4; i++)
            {
                using var cancelled = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
                await Assert.ThrowsAnyAsync<Exception>(() => queue.TakeAsync(TimeSpan.FromSeconds(1), [], cancelled.Token));
            }
        }

        var job = await EnqueueAsync(1);
        var taken = await queue.TakeAsync(TimeSpan.FromSeconds(5), [], TestContext.Current.CancellationToken);
        Assert.Equal(job, taken?.Message);
    }

    [Fact]
    public async Task A_taker_leaves_out_the_tenants_it_says_are_busy()
    {
        var a = await EnqueueManyAsync(Tenant.A, 5);
        var b = await EnqueueManyAsync(Tenant.B, 5);

        var taken = new List<LeasedJob?>();
        for (var i = 0; i < 5; i++)
        {
            taken.Add(await Queue.TakeAsync(TimeSpan.FromSeconds(5), [a], TestContext.Current.CancellationToken));
        }

        Assert.All(taken, job => Assert.Equal(b, job?.Message.TenantId));
        Assert.Null(await Queue.TakeAsync(TimeSpan.FromMilliseconds(500), [a], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Page_images_a_reader_waits_for_are_taken_before_the_tenants_older_pipeline_jobs()
    {
        // A backlog of the tenant's pipeline, queued a minute ago, then a block of pages a reader scrolled to.
        await Sql.ScalarAsync(_scenario.OwnerConnection,
            $"""
            INSERT INTO processing_jobs (tenant_id, document_id, version, created_at, available_at)
            SELECT '{_scenario.TenantA}', '{_document}', v, now(), now() - interval '1 minute' FROM generate_series(1, 5) AS v
            """);
        await Sql.ScalarAsync(_scenario.OwnerConnection,
            $"INSERT INTO processing_jobs (tenant_id, document_id, version, created_at, available_at, pages_from) VALUES ('{_scenario.TenantA}', '{_document}', 1, now(), now(), 11)");

        var first = await Queue.TakeAsync(TimeSpan.FromSeconds(5), [], TestContext.Current.CancellationToken);
        var second = await Queue.TakeAsync(TimeSpan.FromSeconds(5), [], TestContext.Current.CancellationToken);

        Assert.Equal(new JobMessage(_scenario.TenantA, _document, 1, null, 11), first?.Message);
        Assert.Equal(new JobMessage(_scenario.TenantA, _document, 1), second?.Message);
    }

    [Fact]
    public async Task A_worker_whose_lease_ran_out_can_no_longer_finish_the_job()
    {
        await EnqueueAsync(1);
        var first = await Queue.TakeAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        var second = await Queue.TakeAsync(Lease * 4, TestContext.Current.CancellationToken);
        Assert.NotNull(first);
        Assert.NotNull(second);

        Assert.False(await Queue.ExtendLeaseAsync(first, TestContext.Current.CancellationToken));
        await Queue.CompleteAsync(first, TestContext.Current.CancellationToken);
        Assert.Equal(1L, await Sql.ScalarAsync(_scenario.OwnerConnection, "SELECT count(*) FROM processing_jobs"));

        await Queue.CompleteAsync(second, TestContext.Current.CancellationToken);
        Assert.Equal(0L, await Sql.ScalarAsync(_scenario.OwnerConnection, "SELECT count(*) FROM processing_jobs"));
    }
}
