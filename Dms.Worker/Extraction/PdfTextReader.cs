using System.Globalization;
using System.Text.RegularExpressions;
using Dms.Worker.Ocr;
using Dms.Worker.Tools;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Extraction;

/// <summary>
/// Reads a PDF with poppler's tools, each in its own process within the tool budget (memory and CPU time, enforced by
/// the kernel), so a PDF built to expand (a Flate stream bomb) or to take forever stops the tool, never the worker:
/// <c>pdfinfo</c> for its pages and their sizes, <c>pdftotext</c> for the text layer (read only up to the text
/// budget); pages without letters (scans) are rendered and read by OCR, several at a time, up to the page cap.
/// </summary>
public sealed partial class PdfTextReader(
    PdfPageRenderer renderer, IOcrEngine ocr, OcrSlots slots, IOptions<OcrOptions> options, IOptions<ToolOptions> budgets, ILogger<PdfTextReader> logger)
{
    public async Task<ExtractedText> ReadAsync(string path, string workFolder, int maxCharacters, CancellationToken cancellationToken)
    {
        var (texts, cut, created) = await ReadTextLayerAsync(path, maxCharacters, cancellationToken);
        // A cut text layer ends mid-document: the pages after the cut are not read at all.
        var scanned = Enumerable.Range(1, cut ? 0 : texts.Length).Where(page => !texts[page - 1].Any(char.IsLetter)).ToList();
        var settings = options.Value;
        var toRead = scanned.Take(settings.MaxPages).ToList();
        // The pages' sizes only where they are needed (a third tool run per PDF otherwise): to render scans for OCR,
        // and to count the pages past a cut text layer.
        var sizes = toRead.Count > 0 || cut ? await ReadPagesAsync(path, cancellationToken) : null;
        var pages = sizes?.Count ?? texts.Length;
        if (pages == 0)
        {
            throw new UnreadableContentException("The PDF has no pages.");
        }

        if (toRead.Count > 0)
        {
            texts = texts.Length >= pages ? texts[..pages] : [.. texts, .. Enumerable.Repeat("", pages - texts.Length)];
            await ReadByOcrAsync(path, toRead.Where(page => page <= pages).ToList(), sizes!, texts, workFolder, cancellationToken);
        }

        var detail = (scanned.Count, toRead.Count) switch
        {
            _ when cut => $"{pages} pages, the text layer cut at {maxCharacters:N0} characters",
            (0, _) => $"{pages} pages from the text layer",
            var (s, r) when s == r => $"{pages} pages, {r} of them by OCR",
            var (s, r) => $"{pages} pages, {r} of {s} scanned pages by OCR (Dms:Ocr:MaxPages is {settings.MaxPages})",
        };
        var text = string.Join("\n\f", texts);
        return new ExtractedText(text.Length > maxCharacters ? text[..maxCharacters] : text, pages, toRead.Count, detail, created);
    }

    /// <summary>Each page's size, from <c>pdfinfo</c>.</summary>
    private async Task<IReadOnlyList<PageSize>> ReadPagesAsync(string path, CancellationToken cancellationToken)
    {
        var result = await RunAsync("pdfinfo", ["-f", "1", "-l", "1000000", path], 16 * 1024 * 1024, cancellationToken);
        return PageSizeLine().Matches(result.Output)
            .Select(m => new PageSize(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>
    /// The text of each page, at most <paramref name="maxCharacters"/> in all, and the day the PDF's metadata says it
    /// was created (<see cref="PdfTextLayer"/>: the same run); refuses a PDF that cannot be opened, saying why in the
    /// user's terms. <c>pdftotext</c> ends each page with a form feed, so, unless the text was cut, the pages are what
    /// comes before each.
    /// </summary>
    private async Task<(string[] Pages, bool Cut, DateOnly? Created)> ReadTextLayerAsync(string path, int maxCharacters, CancellationToken cancellationToken)
    {
        // The head (a title, the metadata's dates) comes before the text: its own allowance, beside the text's budget.
        var result = await RunAsync("pdftotext", ["-enc", "UTF-8", "-eol", "unix", "-htmlmeta", path, "-"], maxCharacters + HeadAllowance, cancellationToken);
        var (text, created) = PdfTextLayer.Read(result.Output, result.OutputCut);
        var cut = result.OutputCut || text.Length > maxCharacters;
        var texts = (text.Length > maxCharacters ? text[..maxCharacters] : text).Split('\f');
        return cut ? (texts, true, created) : (texts[..^1], false, created);
    }

    /// <summary>The characters <c>pdftotext -htmlmeta</c> may write before the text (its head, the PDF's title).</summary>
    private const int HeadAllowance = 16 * 1024;

    private async Task<CommandResult> RunAsync(string tool, string[] arguments, int maxOutput, CancellationToken cancellationToken)
    {
        var limits = budgets.Value;
        CommandResult result;
        try
        {
            result = await CommandLine.RunAsync(tool, arguments, null, limits.ToolTimeout, cancellationToken, limits.ToolBudget, maxOutput);
        }
        catch (TimeoutException)
        {
            throw new UnreadableContentException($"Reading the PDF took longer than {limits.ToolTimeout} (Dms:Extraction:ToolTimeout).");
        }

        return result switch
        {
            { ExitCode: 0 } or { OutputCut: true } => result,
            { Signalled: true } => throw new UnreadableContentException(
                $"Reading the PDF needed more than {limits.MemoryInWords} of memory or {limits.MaxToolCpuTime} of processor time (Dms:Extraction budgets): it expands to more than a document should."),
            _ when result.Error.Contains("password", StringComparison.OrdinalIgnoreCase) =>
                throw new UnreadableContentException("The PDF is password-protected: upload it without a password."),
            _ => throw new UnreadableContentException($"The PDF is corrupt: {result.FirstErrorLine}"),
        };
    }

    private async Task ReadByOcrAsync(
        string path, IReadOnlyList<int> pages, IReadOnlyList<PageSize> sizes, string[] texts, string workFolder, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var documentLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        documentLimit.CancelAfter(settings.DocumentTimeout);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.MaxParallelPages, CancellationToken = documentLimit.Token };
        try
        {
            await Parallel.ForEachAsync(pages, parallel, async (page, token) =>
            {
                // One slot for the render and the read: the page image exists only while its page holds a slot.
                using var slot = await slots.EnterAsync(token);
                var image = await renderer.RenderAsync(path, page, sizes[page - 1], workFolder, token);
                try
                {
                    texts[page - 1] = await ocr.RecognizeAsync(image, token);
                    LogPageRead(logger, page, sizes.Count);
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

    /// <summary>One line per page read by OCR (at Debug): how far a long OCR has come, and what a rerun did again.</summary>
    [LoggerMessage(Level = LogLevel.Debug, Message = "Read page {page} of {pages} by OCR")]
    private static partial void LogPageRead(ILogger logger, int page, int pages);

    [GeneratedRegex(@"^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", RegexOptions.Multiline)]
    private static partial Regex PageSizeLine();
}
