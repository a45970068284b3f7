namespace Dms.Documents;

/// <summary>The text the pipeline read from one version of a document: what search indexes.</summary>
public sealed class DocumentText
{
    public Guid TenantId { get; set; }
    public Guid DocumentId { get; set; }
    public int Version { get; set; }
    public required string Text { get; set; }

    /// <summary>Pages in the file (1 for formats without pages).</summary>
    public int Pages { get; set; }

    /// <summary>Pages whose text came from OCR.</summary>
    public int OcrPages { get; set; }

    public DateTimeOffset ExtractedAt { get; set; }
}
