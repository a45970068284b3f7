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
