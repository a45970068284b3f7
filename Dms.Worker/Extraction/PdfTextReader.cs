using Dms.Worker.Ocr;
using Dms.Worker.Processing;
using Microsoft.Extensions.Options;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Exceptions;

namespace Dms.Worker.Extraction;

/// <summary>
/// Reads a PDF's text layer with PdfPig, page by page; pages without letters (scans) are rendered and read by OCR,
/// several at a time, up to the page cap.
/// </summary>
public sealed class PdfTextReader(PdfPageRenderer renderer, IOcrEngine ocr, IOptions<OcrOptions> options)
{
    public async Task<ExtractedText> ReadAsync(string path, string workFolder, CancellationToken cancellationToken)
    {
        var texts = ReadTextLayer(path);
        var scanned = Enumerable.Range(1, texts.Length).Where(page => !texts[page - 1].Any(char.IsLetter)).ToList();
        var settings = options.Value;
        var toRead = scanned.Take(settings.MaxPages).ToList();
        if (toRead.Count > 0)
        {
            await ReadByOcrAsync(path, toRead, texts, workFolder, cancellationToken);
        }

        var detail = (scanned.Count, toRead.Count) switch
        {
            (0, _) => $"{texts.Length} pages from the text layer",
            var (s, r) when s == r => $"{texts.Length} pages, {r} of them by OCR",
            var (s, r) => $"{texts.Length} pages, {r} of {s} scanned pages by OCR (Dms:Ocr:MaxPages is {settings.MaxPages})",
        };
        return new ExtractedText(string.Join("\n\f", texts), texts.Length, toRead.Count, detail);
    }

    private static string[] ReadTextLayer(string path)
    {
        try
        {
            using var pdf = PdfDocument.Open(path);
            var pages = new string[pdf.NumberOfPages];
            if (pages.Length == 0)
            {
                throw new UnreadableContentException("The PDF has no pages.");
            }

            for (var number = 1; number <= pages.Length; number++)
            {
                pages[number - 1] = ContentOrderTextExtractor.GetText(pdf.GetPage(number));
            }

            return pages;
        }
        catch (PdfDocumentEncryptedException)
        {
            throw new UnreadableContentException("The PDF is password-protected: upload it without a password.");
        }
        catch (Exception e) when (e is not UnreadableContentException and not OperationCanceledException)
        {
            throw new UnreadableContentException($"The PDF is corrupt: {e.Message}");
        }
    }

    private async Task ReadByOcrAsync(string path, IReadOnlyList<int> pages, string[] texts, string workFolder, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var documentLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        documentLimit.CancelAfter(settings.DocumentTimeout);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.MaxParallelPages, CancellationToken = documentLimit.Token };
        try
        {
            await Parallel.ForEachAsync(pages, parallel, async (page, token) =>
            {
                var image = await renderer.RenderAsync(path, page, workFolder, token);
                try
                {
                    texts[page - 1] = await ocr.RecognizeAsync(image, token);
                }
                finally
                {
                    File.Delete(image);
                }
            });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UnreadableContentException($"OCR took longer than Dms:Ocr:DocumentTimeout ({settings.DocumentTimeout}).");
        }
    }
}
