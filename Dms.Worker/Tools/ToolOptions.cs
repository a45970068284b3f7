using System.ComponentModel.DataAnnotations;

namespace Dms.Worker.Tools;

/// <summary>
/// The budgets every tool run on a tenant's file is held to (reading, OCR, page images), bound from
/// <c>Dms:Extraction</c>. Past one, the document fails for good (or, for page images, has none) with a reason that
/// names the budget; it is never retried.
/// </summary>
public sealed class ToolOptions
{
    public const string Section = "Dms:Extraction";

    /// <summary>The address space of each tool run (pdftotext, pdfinfo, pdftoppm, tesseract), enforced by the kernel.</summary>
    [Range(64L * 1024 * 1024, 64L * 1024 * 1024 * 1024, ErrorMessage = "Dms:Extraction:MaxToolMemoryBytes must be 64 MiB to 64 GiB.")]
    public long MaxToolMemoryBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>The processor time of each tool run, enforced by the kernel.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Dms:Extraction:MaxToolCpuTime must be between 00:00:01 and 01:00:00.")]
    public TimeSpan MaxToolCpuTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The wall time of a tool run that reads a whole file (pdfinfo, pdftotext).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Dms:Extraction:ToolTimeout must be between 00:00:01 and 01:00:00.")]
    public TimeSpan ToolTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Pixels of an image read by OCR, or of a PDF page rendered for it (a larger page is rendered smaller).</summary>
    [Range(1_000_000, 1_000_000_000, ErrorMessage = "Dms:Extraction:MaxPixels must be 1000000 to 1000000000.")]
    public long MaxPixels { get; set; } = 50_000_000;

    /// <summary>Bytes an Office document's parts may inflate to, all parts read together.</summary>
    [Range(1024 * 1024, 64L * 1024 * 1024 * 1024, ErrorMessage = "Dms:Extraction:MaxDecompressedBytes must be 1 MiB to 64 GiB.")]
    public long MaxDecompressedBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>How many times larger than its compressed size an Office part may declare itself.</summary>
    [Range(2, 100_000, ErrorMessage = "Dms:Extraction:MaxCompressionRatio must be 2 to 100000.")]
    public int MaxCompressionRatio { get; set; } = 200;

    public ToolBudget ToolBudget => new(MaxToolMemoryBytes, MaxToolCpuTime);

    public string MemoryInWords => $"{MaxToolMemoryBytes / (1024 * 1024):N0} MiB";
}
