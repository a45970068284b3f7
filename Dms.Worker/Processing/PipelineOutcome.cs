using Dms.Common;
using Dms.Processing;

namespace Dms.Worker.Processing;

/// <summary>
/// How a job ended: with an outcome, or stale (the document moved on: deleted, a newer version, processed already).
/// <see cref="Error"/> is for operators (the dead letter, the log): it may name the cause's addresses and paths.
/// </summary>
public sealed record PipelineOutcome(ProcessingOutcome? Outcome, string? Error = null)
{
    public static readonly PipelineOutcome Stale = new(Outcome: null);

    public bool IsStale => Outcome is null;

    /// <summary>The job goes to the dead letters: a step kept failing.</summary>
    public bool GaveUp => Outcome == ProcessingOutcome.DeadLettered;

    /// <summary>The status the document ended in: ready, failed (at once or after giving up) or quarantined.</summary>
    public string Status => Outcome == ProcessingOutcome.DeadLettered ? "failed" : MetricName;

    /// <summary>The outcome as <c>dms.processing.completed</c> and the operation events count it.</summary>
    public string MetricName => SnakeCaseNames<ProcessingOutcome>.ToName(Outcome ?? throw new InvalidOperationException("A stale job has no processing outcome."));
}
