using Dms.Worker.Processing;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Ocr;

/// <summary>Renders one PDF page to a PNG with <c>pdftoppm</c>, for OCR: one page at a time keeps memory flat.</summary>
public sealed class PdfPageRenderer(IOptions<OcrOptions> options)
{
    /// <returns>The PNG's path inside <paramref name="folder"/>.</returns>
    public async Task<string> RenderAsync(string pdfPath, int pageNumber, string folder, CancellationToken cancellationToken)
    {
        var prefix = Path.Combine(folder, $"page-{pageNumber}");
        var page = pageNumber.ToString();
        var result = await CommandLine.RunAsync(
            "pdftoppm", ["-r", options.Value.Dpi.ToString(), "-f", page, "-l", page, "-gray", "-png", "-singlefile", pdfPath, prefix],
            null, options.Value.PageTimeout, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new UnreadableContentException($"Page {pageNumber} could not be rendered for OCR: {result.Error.Trim()}");
        }

        return prefix + ".png";
    }
}
