using Dms.Common;

namespace Dms.Documents;

/// <summary>One uploaded (or uploading) version of a document's bytes.</summary>
public sealed class DocumentVersion
{
    public Guid DocumentId { get; set; }
    public int Version { get; set; }
    public Guid TenantId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long SizeBytes { get; set; }
    public string? Sha256 { get; set; }

    /// <summary>Where the bytes live in the blob store: <c>{tenantId}/documents/{documentId}/v{n}/content</c>.</summary>
    public required string BlobKey { get; set; }

    /// <summary>The bucket's version of the object that <c>complete</c> checked: the worker reads and clients download exactly it.</summary>
    public string? StorageVersionId { get; set; }

    /// <summary>The object store's multipart upload, while one is open for this version.</summary>
    public string? UploadId { get; set; }

    /// <summary>Null until the upload is completed; the reserved bytes are released if it never is.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>
    /// Storage holds these bytes under a legal hold (set by <see cref="Holds.StorageHolds"/> while a hold covers the
    /// document, cleared after it is lifted): until it is cleared, the document is not purged.
    /// </summary>
    public bool StorageHeld { get; set; }

    /// <summary>What the malware scan said about these bytes; they are served only when it said clean (or was switched off).</summary>
    public ScanVerdict ScanVerdict { get; set; }

    public DateTimeOffset UploadExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Why these bytes (and the text read from them) may not be served, or null when they may.</summary>
    public Error? RefusesReading() => ScanVerdict switch
    {
        ScanVerdict.Clean or ScanVerdict.Skipped => null,
        ScanVerdict.Infected => new Error(ErrorKind.Conflict, "document-quarantined",
            $"Version {Version} of the document is quarantined: the malware scan found something in it, so it cannot be read."),
        _ => new Error(ErrorKind.Conflict, "content-not-scanned",
            $"Version {Version} of the document has not been scanned for malware (yet), so it cannot be read: wait until it is ready, or see its processing steps."),
    };
}
