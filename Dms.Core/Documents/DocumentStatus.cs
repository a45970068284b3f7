namespace Dms.Documents;

/// <summary>Where a document is in its lifecycle (see the architecture's lifecycle diagram).</summary>
public enum DocumentStatus
{
    PendingUpload,
    Queued,
    Scanning,
    Extracting,
    Indexing,
    Ready,
    Failed,
    Quarantined,
    Deleted,
}

public static class DocumentStatuses
{
    /// <summary>Between <c>complete</c> and an end state: the pipeline has (or will have) a job for it.</summary>
    public static bool IsInFlight(this DocumentStatus status) =>
        status is DocumentStatus.Queued or DocumentStatus.Scanning or DocumentStatus.Extracting or DocumentStatus.Indexing;
}
