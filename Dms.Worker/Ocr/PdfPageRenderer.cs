using Dms.Worker.Processing;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Ocr;

/// <summary>
/// Renders one PDF page to a greyscale image with <c>pdftoppm</c>, for OCR: one page at a time keeps memory flat. The
/// image is an uncompressed PGM: encoding a PNG of a 300 dpi page costs about as much as reading it.
/// </summary>
public sealed class PdfPageRenderer(IOptions<OcrOptions> options)
{
    /// <returns>The image's path inside <paramref name="folder"/>.</returns>
    public async Task<string> RenderAsync(string pdfPath, int pageNumber, string folder, CancellationToken cancellationToken)
    {
        var prefix = Path.Combine(folder, $"page-{pageNumber}");
        var page = pageNumber.ToString();
        var result = await CommandLine.RunAsync(
            "pdftoppm", ["-r", options.Value.Dpi.ToString(), "-f", page, "-l", page, "-gray", "-singlefile", pdfPath, prefix],
            null, options.Value.PageTimeout, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new UnreadableContentException($"Page {pageNumber} could not be rendered for OCR: {result.Error.Trim()}");
        }

        return prefix + ".pgm";
    }
}
