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

    /// <summary>The object store's multipart upload, while one is open for this version.</summary>
    public string? UploadId { get; set; }

    /// <summary>Null until the upload is completed; the reserved bytes are released if it never is.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    public DateTimeOffset UploadExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
