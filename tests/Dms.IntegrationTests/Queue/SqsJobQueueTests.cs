using Amazon.SQS;
using Dms.Adapters.Aws;
using Dms.IntegrationTests.Fixtures;
using Dms.IntegrationTests.Storage;
using Dms.Queue;
using Dms.TestSupport;
using Microsoft.Extensions.Options;

namespace Dms.IntegrationTests.Queue;

/// <summary>
/// The queue contract on the SQS adapter, against fauxqs on 127.0.0.1 with the real AWS SDK. Not proven here: how
/// real SQS spreads messages over servers (a short receive can miss messages there) and its once-a-minute purge limit.
/// </summary>
[Collection(FauxqsCollection.Name)]
public sealed class SqsJobQueueTests(Fauxqs fauxqs) : JobQueueContract, IAsyncLifetime
{
    private readonly IAmazonSQS _sqs = SqsJobQueue.CreateClient(new SqsQueueOptions { ServiceUrl = fauxqs.ServiceUrl });
    private SqsQueueOptions _settings = null!;
    private SqsJobQueue _queue = null!;

    protected override IJobQueue Queue => _queue;

    public async ValueTask InitializeAsync()
    {
        _settings = await SqsQueues.CreateAsync(_sqs, fauxqs.ServiceUrl, maxReceiveCount: 3);
        _queue = new SqsJobQueue(_sqs, Options.Create(new QueueOptions { Provider = QueueProvider.Sqs, Lease = Lease, Sqs = _settings }));
    }

    public ValueTask DisposeAsync()
    {
        _sqs.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override async Task<JobMessage> EnqueueAsync(int version)
    {
        var message = new JobMessage(Guid.NewGuid(), Guid.NewGuid(), version);
        await _sqs.SendMessageAsync(_settings.QueueUrl, SqsJobQueue.Serialize(message));
        return message;
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
}
