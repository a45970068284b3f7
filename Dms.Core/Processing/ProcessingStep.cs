namespace Dms.Processing;

/// <summary>The pipeline's steps, in the order they run.</summary>
public enum StepName
{
    /// <summary>First, so that every version gets a verdict, whatever its content turns out to be.</summary>
    Scan,
    TypeCheck,
    Extract,

    /// <summary>Images of the first pages and a thumbnail, from clean content only; a document without them is still ready.</summary>
    Preview,
    Index,
}

public enum StepOutcome
{
    Succeeded,

    /// <summary>Switched off by configuration, said out loud rather than passed silently.</summary>
    Skipped,

    /// <summary>Failed for now; the step runs again after a back-off.</summary>
    Retrying,

    Failed,

    /// <summary>The malware scanner found something: the document is quarantined.</summary>
    Infected,

    /// <summary>Started and not finished: a worker is on it now, or stopped while on it (its next attempt follows).</summary>
    Running,
}

/// <summary>
/// What one step did to one version of a document: one row per step, overwritten by each attempt. Its attempt counts
/// every start of the step, across the worker's crashes and restarts as well as its retries.
/// </summary>
public sealed class ProcessingStep
{
    public Guid TenantId { get; set; }
    public Guid DocumentId { get; set; }
    public int Version { get; set; }
    public StepName Step { get; set; }
    public StepOutcome Outcome { get; set; }
    public int Attempt { get; set; }
    public long DurationMs { get; set; }

    /// <summary>What the step found: the detected type, the scanner's verdict, how the text was read.</summary>
    public string? Detail { get; set; }

    public string? Error { get; set; }

    /// <summary>When the attempt ended; for a running step, when it started.</summary>
    public DateTimeOffset FinishedAt { get; set; }
}
