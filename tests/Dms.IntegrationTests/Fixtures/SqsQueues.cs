using Amazon.SQS;
using Amazon.SQS.Model;
using Dms.Adapters.Aws;
using Dms.TestSupport;
using Dms.Queue;

namespace Dms.IntegrationTests.Fixtures;

/// <summary>A fresh queue and its dead-letter queue with a redrive policy, on the SQS stand-in.</summary>
public static class SqsQueues
{
    public static async Task<SqsQueueOptions> CreateAsync(IAmazonSQS sqs, string serviceUrl, int maxReceiveCount = 10)
    {
        var name = $"dms-test-{Guid.NewGuid():N}";
        var deadLetters = await sqs.CreateQueueAsync($"{name}-dlq");
        var arn = (await sqs.GetQueueAttributesAsync(deadLetters.QueueUrl, ["QueueArn"])).QueueARN;
        var queue = await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name,
            Attributes = new Dictionary<string, string>
            {
                ["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{arn}}","maxReceiveCount":"{{maxReceiveCount}}"}""",
            },
        });
        return new SqsQueueOptions { QueueUrl = queue.QueueUrl, DeadLetterQueueUrl = deadLetters.QueueUrl, ServiceUrl = serviceUrl, WaitSeconds = 20 };
    }

    /// <summary>New queues at fauxqs, as the settings that point the API and the worker at them.</summary>
    public static async Task<Dictionary<string, string>> SettingsAsync(Fauxqs fauxqs)
    {
        using var sqs = SqsJobQueue.CreateClient(new SqsQueueOptions { ServiceUrl = fauxqs.ServiceUrl });
        var queues = await CreateAsync(sqs, fauxqs.ServiceUrl);
        return new Dictionary<string, string>
        {
            ["Dms:Queue:Provider"] = "Sqs",
            ["Dms:Queue:Sqs:QueueUrl"] = queues.QueueUrl!,
            ["Dms:Queue:Sqs:DeadLetterQueueUrl"] = queues.DeadLetterQueueUrl!,
            ["Dms:Queue:Sqs:ServiceUrl"] = fauxqs.ServiceUrl,
        };
    }
}
