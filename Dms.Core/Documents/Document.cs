namespace Dms.Documents;

/// <summary>A tenant's document: metadata only; the bytes live in the blob store.</summary>
public sealed class Document
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Title { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }

    /// <summary>Size of the current version.</summary>
    public long SizeBytes { get; set; }

    /// <summary>Hex SHA-256 of the content, when the client declared it or the pipeline computed it.</summary>
    public string? Sha256 { get; set; }

    public DocumentStatus Status { get; set; }

    public string[] Tags { get; set; } = [];

    /// <summary>The version that the document's file name, type, size and checksum describe.</summary>
    public int CurrentVersion { get; set; } = 1;

    /// <summary>An older document of the same tenant with the same content, reported, never merged.</summary>
    public Guid? DuplicateOf { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }

    /// <summary>Why the document is <c>failed</c> or <c>quarantined</c>.</summary>
    public string? FailureReason { get; set; }

    /// <summary>The status a soft-deleted document returns to when it is restored.</summary>
    public DocumentStatus? StatusBeforeDelete { get; set; }
}
