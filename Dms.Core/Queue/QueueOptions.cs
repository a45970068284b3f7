using System.ComponentModel.DataAnnotations;

namespace Dms.Queue;

public enum QueueProvider
{
    Postgres,
    Sqs,
}

/// <summary>Which queue carries processing jobs, and its timings, bound from <c>Dms:Queue</c>.</summary>
public sealed class QueueOptions : IValidatableObject
{
    public const string Section = "Dms:Queue";

    public QueueProvider Provider { get; set; } = QueueProvider.Postgres;

    /// <summary>How long a taken job stays hidden from other workers; the worker extends it while a long step runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "12:00:00", ErrorMessage = "Dms:Queue:Lease must be between 00:00:01 and 12:00:00.")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How many times a job may be taken before it is dead-lettered unprocessed: a document that kills the worker
    /// every time must not take it down forever.
    /// </summary>
    [Range(1, 100, ErrorMessage = "Dms:Queue:MaxDeliveries must be 1 to 100.")]
    public int MaxDeliveries { get; set; } = 5;

    public SqsQueueOptions Sqs { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == QueueProvider.Sqs && (string.IsNullOrWhiteSpace(Sqs.QueueUrl) || string.IsNullOrWhiteSpace(Sqs.DeadLetterQueueUrl)))
        {
            yield return new ValidationResult(
                "Dms:Queue:Sqs:QueueUrl and Dms:Queue:Sqs:DeadLetterQueueUrl are required when Dms:Queue:Provider is Sqs.",
                [nameof(Sqs)]);
        }

        if (Sqs.RelayWindow is < 1 or > 100_000)
        {
            yield return new ValidationResult("Dms:Queue:Sqs:RelayWindow must be 1 to 100000.", [nameof(Sqs)]);
        }

        if (Sqs.WaitSeconds is < 0 or > 20)
        {
            yield return new ValidationResult("Dms:Queue:Sqs:WaitSeconds must be 0 to 20.", [nameof(Sqs)]);
        }
    }
}

public sealed class SqsQueueOptions
{
    public string? QueueUrl { get; set; }

    public string? DeadLetterQueueUrl { get; set; }

    /// <summary>An SQS-compatible endpoint to use instead of AWS (the local stand-in); empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    public string Region { get; set; } = "us-east-1";

    /// <summary>
    /// The most messages kept waiting in SQS; the rest of the jobs wait in the outbox in tenant turns, so a
    /// tenant's new job waits behind at most this many of another tenant's. Above the workers' total concurrency,
    /// so they never run dry.
    /// </summary>
    public int RelayWindow { get; set; } = 100;

    /// <summary>The longest a receive waits for a message (SQS long polling allows at most 20 seconds).</summary>
    public int WaitSeconds { get; set; } = 20;
}
