using Dms.Documents;
using Dms.Worker.Ocr;
using Dms.Worker.Tools;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Extraction;

/// <summary>
/// Reads the text of a file whose type the type check confirmed, by the reader for that type, each within its
/// budgets: PDFs by poppler's tools and images by tesseract in their own processes under kernel limits (an image's
/// size is read from its header before OCR decodes a pixel), Office files and HTML by .NET parsers in a child process
/// of their own (<see cref="ReaderProcess"/>), plain text read here only up to its character budget.
/// </summary>
public sealed class TextExtractor(PdfTextReader pdf, ReaderProcess parsers, IOcrEngine ocr, OcrSlots slots, IOptions<ToolOptions> budgets)
{
    /// <param name="declaredType">Tells HTML from other text, which the bytes alone cannot.</param>
    /// <param name="maxCharacters">The text kept: reading stops there.</param>
    public async Task<ExtractedText> ExtractAsync(
        string path, string detectedType, string declaredType, string workFolder, int maxCharacters, CancellationToken cancellationToken)
    {
        var type = detectedType == ContentTypes.Text && declaredType == ContentTypes.Html ? ContentTypes.Html : detectedType;
        var extracted = type switch
        {
            ContentTypes.Pdf => await pdf.ReadAsync(path, workFolder, maxCharacters, cancellationToken),
            _ when ContentTypes.IsImage(type) => new ExtractedText(await ReadImageAsync(path, type, cancellationToken), 1, 1, "image by OCR"),
            _ when ReaderProcess.Reads(type) => await parsers.ReadAsync(type, path, maxCharacters, cancellationToken),
            _ => await MarkupTextReader.ReadTextAsync(path, maxCharacters, cancellationToken),
        };

        // PostgreSQL text cannot hold NUL characters, and no reader means them.
        return extracted with { Text = extracted.Text.Replace("\0", "", StringComparison.Ordinal).Trim() };
    }

    /// <summary>OCR of an image whose header promises no more pixels than the budget.</summary>
    private async Task<string> ReadImageAsync(string path, string type, CancellationToken cancellationToken)
    {
        var maxPixels = budgets.Value.MaxPixels;
        var (width, height) = ImageSize.Read(path, type);
        if (width * height > maxPixels)
        {
            throw new UnreadableContentException(
                $"The image is {width:N0} × {height:N0} pixels, more than the {maxPixels / 1_000_000.0:0.#}-megapixel limit for OCR (Dms:Extraction:MaxPixels).");
        }

        using var slot = await slots.EnterAsync(cancellationToken);
        return await ocr.RecognizeAsync(path, cancellationToken);
    }
}
