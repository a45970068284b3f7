using Dms.Worker.Processing;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Ocr;

/// <summary>
/// Runs the <c>tesseract</c> CLI on a page image. <c>OMP_THREAD_LIMIT=1</c>: its own threading is several times
/// slower per page on a small machine than one thread per page with pages in parallel. At most
/// <see cref="OcrOptions.MaxParallelPages"/> pages are read at once, whichever documents they belong to, so several
/// documents in the pipeline never oversubscribe the cores.
/// </summary>
public sealed class TesseractOcrEngine(IOptions<OcrOptions> options) : IOcrEngine, IDisposable
{
    private static readonly Dictionary<string, string> SingleThreaded = new() { ["OMP_THREAD_LIMIT"] = "1" };

    private readonly SemaphoreSlim _slots = new(options.Value.MaxParallelPages);

    public async Task<string> RecognizeAsync(string imagePath, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        CommandResult result;
        try
        {
            result = await CommandLine.RunAsync(
                "tesseract", [imagePath, "stdout", "-l", options.Value.Languages], SingleThreaded, options.Value.PageTimeout, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }

        return result.ExitCode == 0
            ? result.Output
            : throw new UnreadableContentException($"OCR could not read the image: {FirstLine(result.Error)}");
    }

    /// <summary>tesseract runs and has every configured language.</summary>
    public async Task<string> CheckAsync(CancellationToken cancellationToken)
    {
        var result = await CommandLine.RunAsync("tesseract", ["--list-langs"], null, TimeSpan.FromSeconds(10), cancellationToken);
        var installed = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).ToHashSet(StringComparer.Ordinal);
        var missing = options.Value.Languages.Split('+').Where(language => !installed.Contains(language)).ToList();
        return result.ExitCode != 0 ? throw new InvalidOperationException($"tesseract --list-langs failed: {FirstLine(result.Error)}")
            : missing.Count > 0 ? throw new InvalidOperationException($"tesseract has no language data for {string.Join(", ", missing)} (Dms:Ocr:Languages).")
            : $"tesseract reads {options.Value.Languages}.";
    }

    public void Dispose() => _slots.Dispose();

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no reason given";
}
