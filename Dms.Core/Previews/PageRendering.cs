namespace Dms.Previews;

/// <summary>
/// The page images of one block of a version's pages (from <see cref="PagesFrom"/>, <see cref="OpenPreview.PagesPerRendering"/>
/// pages), asked for by a reader: one row per block, made with its job, so a block is queued once however often and
/// however concurrently it is asked for. A block that could not be rendered keeps its reason: it is answered at once,
/// never queued again, until the document has a new version (whose blocks are rows of their own).
/// </summary>
public sealed class PageRendering
{
    public Guid TenantId { get; set; }
    public Guid DocumentId { get; set; }
    public int Version { get; set; }
    public int PagesFrom { get; set; }
    public DateTimeOffset RequestedAt { get; set; }

    /// <summary>How many times a worker has started rendering the block.</summary>
    public int Attempts { get; set; }

    public DateTimeOffset? RenderedAt { get; set; }

    /// <summary>Why the block has no images, in the reader's terms; set once, for good.</summary>
    public string? FailureReason { get; set; }

    /// <summary>Neither rendered nor failed: a job for it is on its way.</summary>
    public bool Pending => RenderedAt is null && FailureReason is null;
}
