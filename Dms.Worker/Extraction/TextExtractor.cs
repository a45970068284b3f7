using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Dms.Worker.Ocr;
using Dms.Worker.Processing;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Extraction;

/// <summary>
/// Reads the text of a file whose type the type check confirmed, by the reader for that type. Text and HTML are read
/// only up to their character budget, and HTML goes through a real (linear) parser: a tenant's file cannot make the
/// worker read gigabytes into memory or backtrack for hours. Office files are streamed within an inflated-bytes
/// budget, PDFs are read by tools within a memory and CPU budget, and an image's size is read from its header before
/// OCR decodes a pixel.
/// </summary>
public sealed class TextExtractor(PdfTextReader pdf, OfficeTextReader office, IOcrEngine ocr, OcrSlots slots, IOptions<ExtractionOptions> budgets)
{
    /// <summary>How many characters of markup an HTML file may have for each character of text kept.</summary>
    public const int MarkupPerTextCharacter = 4;

    /// <param name="declaredType">Tells HTML from other text, which the bytes alone cannot.</param>
    /// <param name="maxCharacters">The text kept: reading stops there (HTML: its markup stops at <see cref="MarkupPerTextCharacter"/> times that).</param>
    public async Task<ExtractedText> ExtractAsync(
        string path, string detectedType, string declaredType, string workFolder, int maxCharacters, CancellationToken cancellationToken)
    {
        var extracted = detectedType switch
        {
            ContentTypes.Pdf => await pdf.ReadAsync(path, workFolder, maxCharacters, cancellationToken),
            _ when ContentTypes.IsImage(detectedType) => new ExtractedText(await ReadImageAsync(path, detectedType, cancellationToken), 1, 1, "image by OCR"),
            ContentTypes.Docx or ContentTypes.Xlsx or ContentTypes.Pptx => office.Read(path, detectedType, maxCharacters),
            _ when declaredType == "text/html" => await ReadHtmlAsync(path, (int)Math.Min((long)maxCharacters * MarkupPerTextCharacter, Array.MaxLength), cancellationToken),
            _ => await ReadTextAsync(path, maxCharacters, cancellationToken),
        };

        // PostgreSQL text cannot hold NUL characters, and no reader means them.
        return extracted with { Text = extracted.Text.Replace("\0", "", StringComparison.Ordinal).Trim() };
    }

    /// <summary>OCR of an image whose header promises no more pixels than the budget.</summary>
    private async Task<string> ReadImageAsync(string path, string type, CancellationToken cancellationToken)
    {
        var maxPixels = budgets.Value.MaxPixels;
        if (ImageSize.Read(path, type) is var (width, height) && width * height > maxPixels)
        {
            throw new UnreadableContentException(
                $"The image is {width:N0} × {height:N0} pixels, more than the {maxPixels / 1_000_000.0:0.#}-megapixel limit for OCR (Dms:Extraction:MaxPixels).");
        }

        using var slot = await slots.EnterAsync(cancellationToken);
        return await ocr.RecognizeAsync(path, cancellationToken);
    }

    private static async Task<ExtractedText> ReadTextAsync(string path, int maxCharacters, CancellationToken cancellationToken)
    {
        var (text, cut) = await ReadAtMostAsync(path, maxCharacters, cancellationToken);
        return new ExtractedText(text, 1, 0, cut ? $"plain text, cut at {maxCharacters:N0} characters" : "plain text");
    }

    /// <summary>The text of the body, without scripts and styles, one text node after another.</summary>
    private static async Task<ExtractedText> ReadHtmlAsync(string path, int maxMarkup, CancellationToken cancellationToken)
    {
        var (markup, cut) = await ReadAtMostAsync(path, maxMarkup, cancellationToken);
        using var document = await new HtmlParser().ParseDocumentAsync(markup, cancellationToken);
        var texts = (document.Body ?? document.DocumentElement).Descendants<IText>()
            .Where(t => t.ParentElement?.LocalName is not ("script" or "style" or "template" or "noscript"))
            .Select(t => t.Data)
            .Where(t => !string.IsNullOrWhiteSpace(t));
        return new ExtractedText(string.Join(" ", texts), 1, 0, cut ? $"HTML without its markup, its first {maxMarkup:N0} characters" : "HTML without its markup");
    }

    /// <summary>At most <paramref name="maxCharacters"/> characters of the file as UTF-8, and whether there were more.</summary>
    private static async Task<(string Text, bool Cut)> ReadAtMostAsync(string path, int maxCharacters, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = new StringBuilder();
        var buffer = new char[64 * 1024];
        int read;
        while (text.Length < maxCharacters && (read = await reader.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, maxCharacters - text.Length)), cancellationToken)) > 0)
        {
            text.Append(buffer, 0, read);
        }

        return (text.ToString(), text.Length == maxCharacters && reader.Peek() >= 0);
    }
}
