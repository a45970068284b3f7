using Dms.Operations;

namespace Dms.Worker.Processing;

/// <summary>How a job ended, from the queue's point of view.</summary>
public enum PipelineEnd
{
    Ready,
    Failed,
    Quarantined,

    /// <summary>The document moved on (deleted, a newer version, already processed): nothing to do.</summary>
    Stale,

    /// <summary>A step kept failing: the job goes to the dead letters and the document to failed.</summary>
    GaveUp,
}

public sealed record PipelineOutcome(PipelineEnd End, string? Error = null)
{
    /// <summary>The status the document ended in: ready, failed (at once or after giving up) or quarantined.</summary>
    public string Status => End == PipelineEnd.GaveUp ? "failed" : End.ToString().ToLowerInvariant();

    /// <summary>The outcome as <c>dms.processing.completed</c> and the operation events count it: a job that gave up is dead_lettered.</summary>
    public string MetricName => End switch
    {
        PipelineEnd.Ready => OperationEvents.ProcessingOutcomes.Ready,
        PipelineEnd.Quarantined => OperationEvents.ProcessingOutcomes.Quarantined,
        PipelineEnd.Failed => OperationEvents.ProcessingOutcomes.Failed,
        PipelineEnd.GaveUp => OperationEvents.ProcessingOutcomes.DeadLettered,
        _ => throw new InvalidOperationException($"A {End} job has no processing outcome."),
    };
}
