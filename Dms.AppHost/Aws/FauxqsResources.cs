using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Dms.AppHost.Run;
using Dms.AppHost.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dms.AppHost.Aws;

/// <summary>The bucket and queues made in fauxqs, once it answers.</summary>
public sealed record FauxqsQueues(string QueueUrl, string DeadLetterQueueUrl);

/// <summary>
/// npm fauxqs on 127.0.0.1, serving S3 and SQS the way LocalStack does: api and worker run their S3 blob store and SQS
/// queue adapters against it. It keeps everything in memory, so each run starts with an empty bucket and queues.
/// </summary>
public sealed record LocalAwsStorage(IResourceBuilder<ExecutableResource> Resource) : DocumentStorage
{
    public const string Bucket = "dms-documents";
    public const string QueueName = "dms-jobs";
    public const string DeadLetterQueueName = "dms-jobs-dead-letters";

    /// <summary>The region fauxqs puts its queues in when a request names none; the adapters sign for it.</summary>
    public const string Region = "us-east-1";

    /// <summary>
    /// Receives before SQS itself moves a message to the dead-letter queue: above the worker's own limit
    /// (<c>Dms:Queue:MaxDeliveries</c>), which dead-letters a job with its error first.
    /// </summary>
    public const int MaxReceiveCount = 10;

    private readonly TaskCompletionSource<FauxqsQueues> _seeded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<FauxqsQueues> Seeded => _seeded.Task;

    /// <summary>Published, nothing is seeded: the queues' addresses are parameters the deployment gives.</summary>
    public (ParameterResource Queue, ParameterResource DeadLetters)? PublishedQueues { get; init; }

    internal void Complete(FauxqsQueues queues) => _seeded.TrySetResult(queues);
}

public static class FauxqsResources
{
    public const string EndpointName = "http";

    public static LocalAwsStorage AddFauxqs(this IDistributedApplicationBuilder builder)
    {
        var port = LocalPorts.Of(builder.Configuration.GetSection("Dms:Fauxqs"), usual: 4566);
        var start = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "tools", "fauxqs", "start.mjs"));
        var resource = builder.AddExecutable("fauxqs", "node", Path.GetDirectoryName(start)!, start)
            .WithHttpEndpoint(name: EndpointName, port: port, env: "FAUXQS_PORT", isProxied: false)
            .WithHttpHealthCheck("/health")
            .WithFailureHint(
                $"the S3 and SQS stand-in is npm fauxqs in tools/fauxqs (./dms.sh run installs it with npm ci) and needs port {port} " +
                "free (ss -ltnp shows who holds it; or set Dms:Fauxqs:Port).");
        var storage = new LocalAwsStorage(resource)
        {
            PublishedQueues = builder.ExecutionContext.IsPublishMode
                ? (builder.AddParameter("sqs-queue-url").Resource, builder.AddParameter("sqs-dead-letter-queue-url").Resource)
                : null,
        };

        // Ready comes at every start, so a fauxqs the run starts again after a crash gets its bucket and queues again
        // (empty: it keeps everything in memory). The queue addresses do not change, so api and worker keep theirs.
        builder.Eventing.Subscribe<ResourceReadyEvent>(resource.Resource, async (ready, cancellationToken) =>
        {
            try
            {
                storage.Complete(await SeedAsync(new Uri(resource.GetEndpoint(EndpointName).Url), cancellationToken));
            }
            catch (Exception e)
            {
                // Shown in fauxqs's console log: api and worker, which wait for the seed, will not start.
                ready.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource.Resource)
                    .LogError(e, "Creating the bucket and queues failed: {ErrorMessage}", e.Message);
                throw;
            }
        });
        return storage;
    }

    /// <summary>api and worker use the S3 blob store and the SQS queue, at fauxqs, with the credentials it takes (any).</summary>
    public static IResourceBuilder<ProjectResource> WithFauxqs(this IResourceBuilder<ProjectResource> project, LocalAwsStorage storage)
    {
        var endpoint = storage.Resource.GetEndpoint(EndpointName);
        return project
            .WaitFor(storage.Resource)
            .WithEnvironment("AWS_ACCESS_KEY_ID", "fauxqs")
            .WithEnvironment("AWS_SECRET_ACCESS_KEY", "fauxqs")
            .WithEnvironment("Dms__Storage__Provider", "S3")
            .WithEnvironment("Dms__Storage__S3__Bucket", LocalAwsStorage.Bucket)
            .WithEnvironment("Dms__Storage__S3__Region", LocalAwsStorage.Region)
            .WithEnvironment("Dms__Storage__S3__ServiceUrl", endpoint)
            .WithEnvironment("Dms__Queue__Provider", "Sqs")
            .WithEnvironment("Dms__Queue__Sqs__Region", LocalAwsStorage.Region)
            .WithEnvironment("Dms__Queue__Sqs__ServiceUrl", endpoint)
            .WithEnvironment(async context =>
            {
                if (storage.PublishedQueues is var (queue, deadLetters))
                {
                    context.EnvironmentVariables["Dms__Queue__Sqs__QueueUrl"] = queue;
                    context.EnvironmentVariables["Dms__Queue__Sqs__DeadLetterQueueUrl"] = deadLetters;
                    return;
                }

                var queues = await storage.Seeded;
                context.EnvironmentVariables["Dms__Queue__Sqs__QueueUrl"] = queues.QueueUrl;
                context.EnvironmentVariables["Dms__Queue__Sqs__DeadLetterQueueUrl"] = queues.DeadLetterQueueUrl;
            });
    }

    /// <summary>The bucket, the dead-letter queue and the queue that redrives to it, through the S3 and SQS APIs.</summary>
    private static async Task<FauxqsQueues> SeedAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = endpoint };
        using (var bucket = await http.PutAsync(LocalAwsStorage.Bucket, null, cancellationToken))
        {
            bucket.EnsureSuccessStatusCode();
        }

        var deadLetters = (await SqsAsync(http, "CreateQueue", new { QueueName = LocalAwsStorage.DeadLetterQueueName }, cancellationToken))["QueueUrl"]!.GetValue<string>();
        var attributes = await SqsAsync(http, "GetQueueAttributes", new { QueueUrl = deadLetters, AttributeNames = new[] { "QueueArn" } }, cancellationToken);
        var redrive = new JsonObject
        {
            ["deadLetterTargetArn"] = attributes["Attributes"]!["QueueArn"]!.GetValue<string>(),
            ["maxReceiveCount"] = LocalAwsStorage.MaxReceiveCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var queue = await SqsAsync(http, "CreateQueue", new
        {
            QueueName = LocalAwsStorage.QueueName,
            Attributes = new Dictionary<string, string> { ["RedrivePolicy"] = redrive.ToJsonString() },
        }, cancellationToken);
        return new FauxqsQueues(queue["QueueUrl"]!.GetValue<string>(), deadLetters);
    }

    private static Task<JsonNode> SqsAsync(HttpClient http, string action, object body, CancellationToken cancellationToken) =>
        LocalAwsJson.CallAsync(http, "fauxqs", $"AmazonSQS.{action}", "1.0", body, cancellationToken);
}
