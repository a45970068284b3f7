using Amazon.SQS;
using Dms.Adapters.Aws;
using Dms.Adapters.Postgres;
using Dms.Persistence;
using Dms.IntegrationTests.Fixtures;
using Dms.IntegrationTests.Storage;
using Dms.Queue;
using Dms.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Dms.IntegrationTests.Queue;

/// <summary>
/// The queue contract on the SQS adapter, against fauxqs on 127.0.0.1 with the real AWS SDK. Not proven here: how
/// real SQS spreads messages over servers (a short receive can miss messages there) and its once-a-minute purge limit.
/// </summary>
[Collection(FauxqsCollection.Name)]
public sealed class SqsJobQueueTests(Fauxqs fauxqs, TemporaryPostgres postgres) : JobQueueContract, IClassFixture<TemporaryPostgres>, IAsyncLifetime
{
    private readonly IAmazonSQS _sqs = SqsJobQueue.CreateClient(new SqsQueueOptions { ServiceUrl = fauxqs.ServiceUrl });
    private SqsQueueOptions _settings = null!;
    private SqsJobQueue _queue = null!;

    protected override IJobQueue Queue => _queue;

    private NpgsqlDataSource _emptyOutbox = null!;

    public async ValueTask InitializeAsync()
    {
        _settings = await SqsQueues.CreateAsync(_sqs, fauxqs.ServiceUrl, maxReceiveCount: 3);
        var database = await ApiScenario.MigratedDatabaseAsync(postgres);
        _emptyOutbox = NpgsqlDataSource.Create(postgres.AppConnectionString(database));
        _queue = QueueOver(_emptyOutbox, _settings);
    }

    private SqsJobQueue QueueOver(NpgsqlDataSource outbox, SqsQueueOptions settings) =>
        new(_sqs, Options.Create(new QueueOptions { Provider = QueueProvider.Sqs, Lease = Lease, Sqs = settings }),
            new OutboxBacklog(outbox, new DatabaseConnections(new RotatingPassword(new DatabasePasswordOptions()))));

    public async ValueTask DisposeAsync()
    {
        _sqs.Dispose();
        await _emptyOutbox.DisposeAsync();
        if (_outbox is not null)
        {
            await _outbox.Value.Notifications.DisposeAsync();
            await _outbox.Value.DataSource.DisposeAsync();
            await _outbox.Value.Scenario.DisposeAsync();
        }
    }

    private (ApiScenario Scenario, NpgsqlDataSource DataSource, JobNotifications Notifications, OutboxRelay Relay, Guid[] Documents)? _outbox;

    /// <summary>
    /// Jobs reach SQS as in production: rows in the outbox that the relay sends. The relay keeps one message waiting
    /// in SQS here (the default keeps 100), so the order it sends in is the order taken; fauxqs serves a standard
    /// queue first in, first out, and does not model SQS fair queues, which also favour the quiet tenant on AWS.
    /// </summary>
    protected override async Task<Guid> EnqueueManyAsync(Tenant tenant, int count)
    {
        if (_outbox is null)
        {
            var scenario = await ApiScenario.StartAsync(postgres);
            var documents = new List<Guid>();
            foreach (var editor in new[] { scenario.EditorA, scenario.EditorB })
            {
                var created = await ApiScenario.CreateDocumentAsync(editor, ApiScenario.RandomBytes(10));
                documents.Add(created.GetProperty("document").GetProperty("id").GetGuid());
            }

            var dataSource = NpgsqlDataSource.Create(postgres.AppConnectionString(scenario.OwnerConnection));
            var notifications = new JobNotifications(dataSource, NullLogger<JobNotifications>.Instance);
            var settings = new QueueOptions { Provider = QueueProvider.Sqs, Lease = Lease, Sqs = new SqsQueueOptions
            {
                QueueUrl = _settings.QueueUrl, DeadLetterQueueUrl = _settings.DeadLetterQueueUrl, ServiceUrl = _settings.ServiceUrl, RelayWindow = 1,
            } };
            var relay = new OutboxRelay(dataSource, new DatabaseConnections(new RotatingPassword(new DatabasePasswordOptions())), notifications, _sqs,
                Options.Create(settings), NullLogger<OutboxRelay>.Instance);
            _outbox = (scenario, dataSource, notifications, relay, [.. documents]);
        }

        var (outbox, _, _, _, documentIds) = _outbox.Value;
        var (tenantId, document) = tenant == Tenant.A ? (outbox.TenantA, documentIds[0]) : (outbox.TenantB, documentIds[1]);
        await Sql.ScalarAsync(outbox.OwnerConnection,
            $"""
            INSERT INTO processing_jobs (tenant_id, document_id, version, created_at, available_at)
            SELECT '{tenantId}', '{document}', v, now(), now() FROM generate_series(1, {count}) AS v
            """);
        return tenantId;
    }

    protected override async Task<LeasedJob?> TakeNextAsync()
    {
        await _outbox!.Value.Relay.RelayBatchAsync(TestContext.Current.CancellationToken);
        return await base.TakeNextAsync();
    }

    protected override async Task<JobMessage> EnqueueAsync(int version)
    {
        var message = new JobMessage(Guid.NewGuid(), Guid.NewGuid(), version);
        await _sqs.SendMessageAsync(_settings.QueueUrl, SqsJobQueue.Serialize(message));
        return message;
    }

    /// <remarks>
    /// Read on the wire, as the relay's SQS client sends it: fauxqs neither keeps nor returns message groups. Not
    /// proven here: how SQS fair queues weigh the groups (AWS's own behaviour).
    /// </remarks>
    [Fact]
    public async Task Each_relayed_message_names_its_tenant_as_its_message_group()
    {
        var a = await EnqueueManyAsync(Tenant.A, 3);
        var b = await EnqueueManyAsync(Tenant.B, 2);
        var (_, dataSource, notifications, _, _) = _outbox!.Value;
        var wire = new RecordingHttpClientFactory();
        using var sqs = new AmazonSQSClient(new Amazon.SQS.AmazonSQSConfig { ServiceURL = fauxqs.ServiceUrl, AuthenticationRegion = "us-east-1", HttpClientFactory = wire });
        var relay = new OutboxRelay(dataSource, new DatabaseConnections(new RotatingPassword(new DatabasePasswordOptions())), notifications, sqs,
            Options.Create(new QueueOptions { Provider = QueueProvider.Sqs, Lease = Lease, Sqs = _settings }), NullLogger<OutboxRelay>.Instance);

        Assert.Equal(OutboxRelay.Relayed.Some, await relay.RelayBatchAsync(TestContext.Current.CancellationToken));

        var batch = System.Text.Json.JsonDocument.Parse(Assert.Single(wire.Bodies, body => body.Contains("\"Entries\"", StringComparison.Ordinal))).RootElement;
        var sent = batch.GetProperty("Entries").EnumerateArray()
            .Select(e => (Tenant: System.Text.Json.JsonDocument.Parse(e.GetProperty("MessageBody").GetString()!).RootElement.GetProperty("tenantId").GetGuid(),
                Group: e.GetProperty("MessageGroupId").GetString()))
            .ToList();
        Assert.Equal([a, b, a, b, a], sent.Select(m => m.Tenant));
        Assert.All(sent, m => Assert.Equal(m.Tenant.ToString(), m.Group));
    }

    [Fact]
    public async Task With_the_default_window_a_tenants_job_waits_behind_at_most_a_window_of_another_tenants_backlog()
    {
        var a = await EnqueueManyAsync(Tenant.A, 150);
        var (_, dataSource, notifications, _, _) = _outbox!.Value;
        var settings = new QueueOptions { Provider = QueueProvider.Sqs, Lease = Lease, Sqs = new SqsQueueOptions
        {
            QueueUrl = _settings.QueueUrl, DeadLetterQueueUrl = _settings.DeadLetterQueueUrl, ServiceUrl = _settings.ServiceUrl,
        } };
        var relay = new OutboxRelay(dataSource, new DatabaseConnections(new RotatingPassword(new DatabasePasswordOptions())), notifications, _sqs,
            Options.Create(settings), NullLogger<OutboxRelay>.Instance);
        while (await relay.RelayBatchAsync(TestContext.Current.CancellationToken) == OutboxRelay.Relayed.Some)
        {
        }

        var b = await EnqueueManyAsync(Tenant.B, 1);
        var takenBefore = 0;
        while (true)
        {
            await relay.RelayBatchAsync(TestContext.Current.CancellationToken);
            var job = await Queue.TakeAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
            Assert.NotNull(job);
            await Queue.CompleteAsync(job, TestContext.Current.CancellationToken);
            if (job.Message.TenantId == b)
            {
                break;
            }

            Assert.Equal(a, job.Message.TenantId);
            takenBefore++;
        }

        Assert.Equal(100, new SqsQueueOptions().RelayWindow);
        Assert.InRange(takenBefore, 1, 100);
    }

    /// <summary>
    /// The relay keeps SQS to its window, so most of a backlog waits in the outbox: the depth that the status, the
    /// metrics and the worker's scaling read counts those jobs too (before, it saw the window alone).
    /// </summary>
    [Fact]
    public async Task The_depth_counts_the_jobs_still_waiting_in_the_outbox()
    {
        await EnqueueManyAsync(Tenant.A, 5);
        var (_, dataSource, _, relay, _) = _outbox!.Value;
        var queue = QueueOver(dataSource, _settings);

        var before = await queue.GetDepthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(OutboxRelay.Relayed.Some, await relay.RelayBatchAsync(TestContext.Current.CancellationToken));
        var after = await queue.GetDepthAsync(TestContext.Current.CancellationToken);

        // A window of one: one job in SQS, four still in the outbox.
        Assert.Equal(new QueueDepth(5, 0), before);
        Assert.Equal(new QueueDepth(5, 0), after);
    }

    [Fact]
    public async Task A_job_that_keeps_stopping_workers_is_moved_to_the_dead_letters_by_the_redrive_policy()
    {
        var message = await EnqueueAsync(1);

        for (var receive = 1; receive <= 3; receive++)
        {
            var job = await Queue.TakeAsync(Lease * 3, TestContext.Current.CancellationToken);
            Assert.Equal(receive, job?.Attempt);
        }

        var again = await Queue.TakeAsync(Lease * 2, TestContext.Current.CancellationToken);
        var letter = Assert.Single(await Queue.ListDeadLettersAsync(10, TestContext.Current.CancellationToken));

        Assert.Null(again);
        Assert.Equal(message, letter.Message);
        Assert.StartsWith("Moved to the dead-letter queue by SQS", letter.Error);
    }

    /// <summary>Keeps the body of every request the SQS client sends.</summary>
    private sealed class RecordingHttpClientFactory : Amazon.Runtime.HttpClientFactory
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Bodies { get; } = new();

        public override HttpClient CreateHttpClient(Amazon.Runtime.IClientConfig clientConfig) => new(new Recorder(Bodies));

        private sealed class Recorder(System.Collections.Concurrent.ConcurrentQueue<string> bodies) : DelegatingHandler(new HttpClientHandler())
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (request.Content is not null)
                {
                    bodies.Enqueue(await request.Content.ReadAsStringAsync(cancellationToken));
                }

                return await base.SendAsync(request, cancellationToken);
            }
        }
    }
}
