namespace Dms.Processing;

/// <summary>
/// How a document's processing ended. The worker records it as an operation event and counts it on
/// <c>dms.processing.completed</c>; the operator status counts the events. Its snake_case name is what both carry.
/// </summary>
public enum ProcessingOutcome
{
    Ready,
    Quarantined,

    /// <summary>The content could not be read: the document failed at once.</summary>
    Failed,

    /// <summary>A step kept failing for a reason that may pass: the job went to the dead letters, the document to failed.</summary>
    DeadLettered,
}
