using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Dms.Worker.Ocr;

namespace Dms.Worker.Extraction;

/// <summary>Reads the text of a file whose type the type check confirmed, by the reader for that type.</summary>
public sealed partial class TextExtractor(PdfTextReader pdf, IOcrEngine ocr)
{
    /// <param name="declaredType">Tells HTML from other text, which the bytes alone cannot.</param>
    public async Task<ExtractedText> ExtractAsync(string path, string detectedType, string declaredType, string workFolder, CancellationToken cancellationToken)
    {
        var extracted = detectedType switch
        {
            ContentTypes.Pdf => await pdf.ReadAsync(path, workFolder, cancellationToken),
            _ when ContentTypes.IsImage(detectedType) => new ExtractedText(await ocr.RecognizeAsync(path, cancellationToken), 1, 1, "image by OCR"),
            ContentTypes.Docx or ContentTypes.Xlsx or ContentTypes.Pptx => OfficeTextReader.Read(path, detectedType),
            _ => await ReadTextAsync(path, declaredType == "text/html", cancellationToken),
        };

        // PostgreSQL text cannot hold NUL characters, and no reader means them.
        return extracted with { Text = extracted.Text.Replace("\0", "", StringComparison.Ordinal).Trim() };
    }

    private static async Task<ExtractedText> ReadTextAsync(string path, bool html, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken);
        return html
            ? new ExtractedText(WebUtility.HtmlDecode(Tags().Replace(Scripts().Replace(text, " "), " ")), 1, 0, "HTML without its markup")
            : new ExtractedText(text, 1, 0, "plain text");
    }

    [GeneratedRegex("<(script|style)\\b.*?</\\1\\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Scripts();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();
}
