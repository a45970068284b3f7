namespace Dms.Documents;

/// <summary>A tenant's document: metadata only; the bytes live in the blob store.</summary>
public sealed class Document
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Title { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long SizeBytes { get; set; }

    /// <summary>Hex SHA-256 of the content, when the client declared it or the pipeline computed it.</summary>
    public string? Sha256 { get; set; }

    public DocumentStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}
