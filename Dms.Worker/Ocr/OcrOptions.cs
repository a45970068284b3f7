using System.ComponentModel.DataAnnotations;

namespace Dms.Worker.Ocr;

/// <summary>OCR and page rasterising, bound from <c>Dms:Ocr</c>.</summary>
public sealed class OcrOptions
{
    public const string Section = "Dms:Ocr";

    /// <summary>Tesseract language codes, joined with '+' (<c>eng+deu</c>).</summary>
    [RegularExpression("^[a-z_]+(\\+[a-z_]+)*$", ErrorMessage = "Dms:Ocr:Languages must be tesseract language codes joined with '+', e.g. eng+deu.")]
    public string Languages { get; set; } = "eng";

    /// <summary>The resolution PDF pages are rendered at for OCR.</summary>
    [Range(72, 600, ErrorMessage = "Dms:Ocr:Dpi must be 72 to 600.")]
    public int Dpi { get; set; } = 300;

    /// <summary>
    /// Pages read at the same time by this worker, across all its documents; tesseract itself runs single-threaded,
    /// which is faster per page.
    /// </summary>
    [Range(1, 64, ErrorMessage = "Dms:Ocr:MaxParallelPages must be 1 to 64.")]
    public int MaxParallelPages { get; set; } = Environment.ProcessorCount;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Dms:Ocr:PageTimeout must be between 00:00:01 and 01:00:00.")]
    public TimeSpan PageTimeout { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Dms:Ocr:DocumentTimeout must be between 00:00:01 and 1.00:00:00.")]
    public TimeSpan DocumentTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Pages beyond this many are not read by OCR; the step says so.</summary>
    [Range(1, 100_000, ErrorMessage = "Dms:Ocr:MaxPages must be 1 to 100000.")]
    public int MaxPages { get; set; } = 1000;
}
