using System.Globalization;
using Dms.Worker.Tools;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Ocr;

/// <summary>
/// Renders one PDF page to a greyscale image with <c>pdftoppm</c>, for OCR: one page at a time keeps memory flat. The
/// image is an uncompressed PGM: encoding a PNG of a 300 dpi page costs about as much as reading it. A page that would
/// be more than <see cref="ToolOptions.MaxPixels"/> at the OCR resolution (a 9,600 pt page is 40,000 pixels
/// wide at 300 dpi) is rendered smaller, to fit the budget; the tool runs within the tool budget.
/// </summary>
public sealed class PdfPageRenderer(IOptions<OcrOptions> options, IOptions<ToolOptions> budgets)
{
    /// <param name="size">The page's size in points, as <c>pdfinfo</c> reads it.</param>
    /// <returns>The image's path inside <paramref name="folder"/>.</returns>
    public async Task<string> RenderAsync(string pdfPath, int pageNumber, PageSize size, string folder, CancellationToken cancellationToken)
    {
        var prefix = Path.Combine(folder, $"page-{pageNumber}");
        var page = pageNumber.ToString(CultureInfo.InvariantCulture);
        CommandResult result;
        try
        {
            result = await CommandLine.RunAsync(
                "pdftoppm", [.. Resolution(size), "-f", page, "-l", page, "-gray", "-singlefile", pdfPath, prefix],
                null, options.Value.PageTimeout, cancellationToken, budgets.Value.ToolBudget);
        }
        catch (TimeoutException)
        {
            throw new UnreadableContentException($"Rendering page {pageNumber} for OCR took longer than {options.Value.PageTimeout} (Dms:Ocr:PageTimeout): the page draws more than a page should.");
        }

        return result switch
        {
            { ExitCode: 0 } => prefix + ".pgm",
            { Signalled: true } => throw new UnreadableContentException(
                $"Rendering page {pageNumber} for OCR needed more than {budgets.Value.MemoryInWords} of memory or {budgets.Value.MaxToolCpuTime} of processor time (Dms:Extraction budgets)."),
            _ => throw new UnreadableContentException($"Page {pageNumber} could not be rendered for OCR: {result.FirstErrorLine}"),
        };
    }

    /// <summary>The OCR resolution, or for a page too large at it, the longest side that keeps it within the pixel budget.</summary>
    private string[] Resolution(PageSize size)
    {
        var dpi = options.Value.Dpi;
        var (width, height) = (Math.Max(size.WidthPoints, 1) * dpi / 72, Math.Max(size.HeightPoints, 1) * dpi / 72);
        if (width * height <= budgets.Value.MaxPixels)
        {
            return ["-r", dpi.ToString(CultureInfo.InvariantCulture)];
        }

        var (longer, shorter) = (Math.Max(width, height), Math.Min(width, height));
        var longest = (long)Math.Floor(Math.Sqrt(budgets.Value.MaxPixels * longer / shorter));
        return ["-scale-to", Math.Max(1, longest).ToString(CultureInfo.InvariantCulture)];
    }
}

/// <summary>A PDF page's size in points (1/72 inch).</summary>
public readonly record struct PageSize(double WidthPoints, double HeightPoints);
