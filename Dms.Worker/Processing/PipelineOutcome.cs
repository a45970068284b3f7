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
    public string Name => End.ToString().ToLowerInvariant();
}
