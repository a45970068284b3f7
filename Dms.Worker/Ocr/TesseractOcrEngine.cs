using Dms.Worker.Tools;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Ocr;

/// <summary>
/// Runs the <c>tesseract</c> CLI on a page image, within the tool budget (memory and CPU time, enforced by the
/// kernel). <c>OMP_THREAD_LIMIT=1</c>: its own threading is several times slower per page on a small machine than one
/// thread per page with pages in parallel; callers hold an <see cref="OcrSlots"/> slot, so pages never oversubscribe
/// the cores.
/// </summary>
public sealed class TesseractOcrEngine(IOptions<OcrOptions> options, IOptions<ToolOptions> budgets) : IOcrEngine
{
    private static readonly Dictionary<string, string> SingleThreaded = new() { ["OMP_THREAD_LIMIT"] = "1" };

    public async Task<string> RecognizeAsync(string imagePath, CancellationToken cancellationToken)
    {
        var result = await CommandLine.RunAsync(
            "tesseract", [imagePath, "stdout", "-l", options.Value.Languages], SingleThreaded, options.Value.PageTimeout, cancellationToken, budgets.Value.ToolBudget);
        return result switch
        {
            { ExitCode: 0 } => result.Output,
            { Signalled: true } => throw new UnreadableContentException(
                $"OCR of the image needed more than {budgets.Value.MemoryInWords} of memory or {budgets.Value.MaxToolCpuTime} of processor time (Dms:Extraction budgets)."),
            _ => throw new UnreadableContentException($"OCR could not read the image: {result.FirstErrorLine}"),
        };
    }

    /// <summary>tesseract runs and has every configured language.</summary>
    public async Task<string> CheckAsync(CancellationToken cancellationToken)
    {
        var result = await CommandLine.RunAsync("tesseract", ["--list-langs"], null, TimeSpan.FromSeconds(10), cancellationToken);
        var installed = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1).ToHashSet(StringComparer.Ordinal);
        var missing = options.Value.Languages.Split('+').Where(language => !installed.Contains(language)).ToList();
        return result.ExitCode != 0 ? throw new InvalidOperationException($"tesseract --list-langs failed: {result.FirstErrorLine}")
            : missing.Count > 0 ? throw new InvalidOperationException($"tesseract has no language data for {string.Join(", ", missing)} (Dms:Ocr:Languages).")
            : $"tesseract reads {options.Value.Languages}.";
    }
}
