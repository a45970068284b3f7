namespace Dms.Documents;

/// <summary>Where a document is in its lifecycle; <see cref="DocumentStatusTable"/> says how it moves between them.</summary>
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

/// <summary>What moves a document from one status to another.</summary>
public enum DocumentTrigger
{
    /// <summary>A client created the document: it waits for its bytes.</summary>
    Create,

    /// <summary>The bytes of a version arrived and were checked (<c>complete</c>).</summary>
    Complete,
    Trash,
    Restore,
    Reprocess,

    /// <summary>A worker took the document's job (a redriven dead letter takes a failed document up again).</summary>
    Claim,

    /// <summary>A pipeline step succeeded: on to the next.</summary>
    Advance,

    /// <summary>The pipeline ended without a result: the content could not be read, the scanner found malware, or a step gave up.</summary>
    End,
}
