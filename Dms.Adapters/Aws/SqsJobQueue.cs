using System.Globalization;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Dms.Queue;
using Microsoft.Extensions.Options;

namespace Dms.Adapters.Aws;

/// <summary>
/// The AWS queue: SQS with a dead-letter queue. Receives long-poll; a taken job's visibility timeout is its lease and
/// is extended while a long step runs. A job that gives up is sent to the dead-letter queue by the worker, with its
/// error and attempts as message attributes; a message that keeps stopping workers is moved there by the queue's own
/// redrive policy (maxReceiveCount). Jobs reach the queue through <see cref="OutboxRelay"/>; its depth counts the jobs
/// still in the outbox (<see cref="OutboxBacklog"/>).
/// </summary>
public sealed class SqsJobQueue(IAmazonSQS sqs, IOptions<QueueOptions> options, OutboxBacklog outbox) : IJobQueue
{
    private const string ErrorAttribute = "dms-error";
    private const string AttemptsAttribute = "dms-attempts";
    private const string DeadLetteredAtAttribute = "dms-dead-lettered-at";

    /// <summary>On a postponed job's copy: the attempts its earlier messages made, which the copy's receive count does not know.</summary>
    private const string EarlierAttemptsAttribute = "dms-earlier-attempts";

    /// <summary>The longest delay SQS gives a message.</summary>
    private const int MaxDelaySeconds = 900;
    private const string ReceiveCount = "ApproximateReceiveCount";
    private const string SentTimestamp = "SentTimestamp";

    /// <summary>How long dead letters stay hidden while an operator action walks through them.</summary>
    private const int BrowseVisibilitySeconds = 30;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private SqsQueueOptions Settings => options.Value.Sqs;

    private int LeaseSeconds => (int)Math.Ceiling(options.Value.Lease.TotalSeconds);

    public static IAmazonSQS CreateClient(SqsQueueOptions settings) =>
        string.IsNullOrEmpty(settings.ServiceUrl)
            ? new AmazonSQSClient(Amazon.RegionEndpoint.GetBySystemName(settings.Region))
            : new AmazonSQSClient(new AmazonSQSConfig { ServiceURL = settings.ServiceUrl, AuthenticationRegion = settings.Region });

    public static string Serialize(JobMessage message) => JsonSerializer.Serialize(message, Json);

    /// <summary>A job's message group: its tenant, whose messages SQS fair queues weigh against other tenants'.</summary>
    public static string GroupOf(JobMessage message) => message.TenantId.ToString();

    /// <remarks>
    /// SQS cannot be asked to leave tenants out: <paramref name="busyTenants"/> is not used, and a job of a busy tenant
    /// waits in the worker for its turn. Turns across tenants come from the message group (the tenant) that
    /// <see cref="OutboxRelay"/> gives each message: SQS fair queues serve quiet groups before a busy one.
    /// </remarks>
    public async Task<LeasedJob?> TakeAsync(TimeSpan wait, IReadOnlyCollection<Guid> busyTenants, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + wait;
        do
        {
            var seconds = (int)Math.Clamp(Math.Ceiling((deadline - DateTimeOffset.UtcNow).TotalSeconds), 0, Settings.WaitSeconds);
            var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = Settings.QueueUrl,
                MaxNumberOfMessages = 1,
                WaitTimeSeconds = seconds,
                VisibilityTimeout = LeaseSeconds,
                MessageSystemAttributeNames = [ReceiveCount],
                MessageAttributeNames = [EarlierAttemptsAttribute],
            }, cancellationToken);
            if (received.Messages is [var message, ..])
            {
                return new LeasedJob(message.MessageId, Parse(message), EarlierAttempts(message) + ReceivedTimes(message), message.ReceiptHandle);
            }
        }
        while (DateTimeOffset.UtcNow < deadline);

        return null;
    }

    public async Task<bool> ExtendLeaseAsync(LeasedJob job, CancellationToken cancellationToken)
    {
        try
        {
            await sqs.ChangeMessageVisibilityAsync(Settings.QueueUrl, job.Lease, LeaseSeconds, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is ReceiptHandleIsInvalidException or MessageNotInflightException)
        {
            return false;
        }
    }

    public Task CompleteAsync(LeasedJob job, CancellationToken cancellationToken) =>
        sqs.DeleteMessageAsync(Settings.QueueUrl, job.Lease, cancellationToken);

    public Task ReleaseAsync(LeasedJob job, CancellationToken cancellationToken) =>
        sqs.ChangeMessageVisibilityAsync(Settings.QueueUrl, job.Lease, 0, cancellationToken);

    /// <remarks>
    /// A visibility timeout would count the next receive, and the redrive policy would move a job that was only ever
    /// postponed to the dead letters: the job goes back as a delayed copy in its tenant's group, carrying the attempts
    /// made so far, and the received message is deleted. Should the delete fail, the job is processed twice, which the
    /// pipeline allows (a job of a version already processed is stale).
    /// </remarks>
    public async Task PostponeAsync(LeasedJob job, TimeSpan delay, CancellationToken cancellationToken)
    {
        await sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = Settings.QueueUrl,
            MessageBody = Serialize(job.Message),
            MessageGroupId = GroupOf(job.Message),
            DelaySeconds = (int)Math.Clamp(Math.Ceiling(delay.TotalSeconds), 0, MaxDelaySeconds),
            MessageAttributes = new Dictionary<string, MessageAttributeValue> { [EarlierAttemptsAttribute] = Number(job.Attempt - 1) },
        }, cancellationToken);
        await sqs.DeleteMessageAsync(Settings.QueueUrl, job.Lease, cancellationToken);
    }

    public async Task DeadLetterAsync(LeasedJob job, string error, CancellationToken cancellationToken)
    {
        await sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = Settings.DeadLetterQueueUrl,
            MessageBody = Serialize(job.Message),
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                [ErrorAttribute] = Text(error.Length > 2000 ? error[..2000] : error),
                [AttemptsAttribute] = Number(job.Attempt),
                [DeadLetteredAtAttribute] = Text(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)),
            },
        }, cancellationToken);
        await sqs.DeleteMessageAsync(Settings.QueueUrl, job.Lease, cancellationToken);
    }

    public async Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int limit, CancellationToken cancellationToken)
    {
        var letters = new List<DeadLetter>();
        await BrowseDeadLettersAsync(message =>
        {
            letters.Add(ToDeadLetter(message));
            return Task.FromResult(false);
        }, limit, cancellationToken);
        return letters;
    }

    public Task<int> RedriveAsync(string? id, CancellationToken cancellationToken) =>
        BrowseDeadLettersAsync(async message =>
        {
            if (id is not null && message.MessageId != id)
            {
                return false;
            }

            await sqs.SendMessageAsync(
                new SendMessageRequest { QueueUrl = Settings.QueueUrl, MessageBody = message.Body, MessageGroupId = GroupOf(Parse(message)) }, cancellationToken);
            await sqs.DeleteMessageAsync(Settings.DeadLetterQueueUrl, message.ReceiptHandle, cancellationToken);
            return true;
        }, int.MaxValue, cancellationToken);

    public Task<int> PurgeAsync(string? id, CancellationToken cancellationToken) =>
        BrowseDeadLettersAsync(async message =>
        {
            if (id is not null && message.MessageId != id)
            {
                return false;
            }

            await sqs.DeleteMessageAsync(Settings.DeadLetterQueueUrl, message.ReceiptHandle, cancellationToken);
            return true;
        }, int.MaxValue, cancellationToken);

    public async Task<QueueDepth> GetDepthAsync(CancellationToken cancellationToken)
    {
        string[] names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"];
        var queue = await sqs.GetQueueAttributesAsync(Settings.QueueUrl, [.. names], cancellationToken);
        var dead = await sqs.GetQueueAttributesAsync(Settings.DeadLetterQueueUrl, [.. names], cancellationToken);
        // The outbox's rows are waiting jobs too: the relay holds a backlog there beyond the queue's window.
        return new QueueDepth(
            queue.ApproximateNumberOfMessages + queue.ApproximateNumberOfMessagesNotVisible + await outbox.CountAsync(cancellationToken),
            dead.ApproximateNumberOfMessages + dead.ApproximateNumberOfMessagesNotVisible);
    }

    /// <summary>
    /// Receives dead letters until the queue has none left to show or <paramref name="limit"/> is reached, hiding each
    /// so it is seen once; <paramref name="act"/> says whether it consumed the message. The rest are shown again at the end.
    /// </summary>
    /// <returns>How many messages <paramref name="act"/> consumed.</returns>
    private async Task<int> BrowseDeadLettersAsync(Func<Message, Task<bool>> act, int limit, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>();
        var kept = new List<Message>();
        var consumed = 0;
        try
        {
            while (seen.Count < limit)
            {
                var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = Settings.DeadLetterQueueUrl,
                    MaxNumberOfMessages = Math.Min(10, limit - seen.Count),
                    WaitTimeSeconds = 1,
                    VisibilityTimeout = BrowseVisibilitySeconds,
                    MessageSystemAttributeNames = [ReceiveCount, SentTimestamp],
                    MessageAttributeNames = ["All"],
                }, cancellationToken);
                if (received.Messages is not { Count: > 0 } messages)
                {
                    break;
                }

                foreach (var message in messages.Where(m => seen.Add(m.MessageId)))
                {
                    if (await act(message))
                    {
                        consumed++;
                    }
                    else
                    {
                        kept.Add(message);
                    }
                }
            }
        }
        finally
        {
            foreach (var message in kept)
            {
                await sqs.ChangeMessageVisibilityAsync(Settings.DeadLetterQueueUrl, message.ReceiptHandle, 0, CancellationToken.None);
            }
        }

        return consumed;
    }

    private static DeadLetter ToDeadLetter(Message message)
    {
        var attributes = message.MessageAttributes ?? [];
        var byWorker = attributes.TryGetValue(ErrorAttribute, out var error);
        var attempts = attributes.TryGetValue(AttemptsAttribute, out var counted) ? int.Parse(counted.StringValue, CultureInfo.InvariantCulture) : EarlierAttempts(message) + ReceivedTimes(message);
        var at = attributes.TryGetValue(DeadLetteredAtAttribute, out var stamped)
            ? DateTimeOffset.Parse(stamped.StringValue, CultureInfo.InvariantCulture)
            : DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(message.Attributes?.GetValueOrDefault(SentTimestamp) ?? "0", CultureInfo.InvariantCulture));
        return new DeadLetter(message.MessageId, Parse(message), attempts,
            byWorker ? error!.StringValue : "Moved to the dead-letter queue by SQS: received more often than its redrive policy allows (the worker stopped while processing it).",
            at);
    }

    private static JobMessage Parse(Message message) =>
        JsonSerializer.Deserialize<JobMessage>(message.Body, Json) ?? throw new InvalidDataException($"Message {message.MessageId} carries no job.");

    private static int ReceivedTimes(Message message) =>
        int.TryParse(message.Attributes?.GetValueOrDefault(ReceiveCount), CultureInfo.InvariantCulture, out var count) ? count : 1;

    private static int EarlierAttempts(Message message) =>
        message.MessageAttributes?.GetValueOrDefault(EarlierAttemptsAttribute)?.StringValue is { } earlier
        && int.TryParse(earlier, CultureInfo.InvariantCulture, out var count) && count > 0 ? count : 0;

    private static MessageAttributeValue Text(string value) => new() { DataType = "String", StringValue = value };

    private static MessageAttributeValue Number(int value) => new() { DataType = "Number", StringValue = value.ToString(CultureInfo.InvariantCulture) };
}
