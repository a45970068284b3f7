namespace Dms.Processing;

/// <summary>A document version waiting for the pipeline, written in the same transaction as the status change.</summary>
public sealed class ProcessingJob
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid DocumentId { get; set; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
