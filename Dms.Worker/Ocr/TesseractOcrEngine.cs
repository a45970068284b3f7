using Dms.Worker.Processing;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Ocr;

/// <summary>
/// Runs the <c>tesseract</c> CLI on a page image. <c>OMP_THREAD_LIMIT=1</c>: its own threading is several times
/// slower per page on a small machine than one thread per page with pages in parallel.
/// </summary>
public sealed class TesseractOcrEngine(IOptions<OcrOptions> options) : IOcrEngine
{
    private static readonly Dictionary<string, string> SingleThreaded = new() { ["OMP_THREAD_LIMIT"] = "1" };

    public async Task<string> RecognizeAsync(string imagePath, CancellationToken cancellationToken)
    {
        var result = await CommandLine.RunAsync(
            "tesseract", [imagePath, "stdout", "-l", options.Value.Languages], SingleThreaded, options.Value.PageTimeout, cancellationToken);
        return result.ExitCode == 0
            ? result.Output
            : throw new UnreadableContentException($"OCR could not read the image: {FirstLine(result.Error)}");
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no reason given";
}
