using System.Globalization;
using System.Text.RegularExpressions;
using Dms.Documents;
using Dms.Documents.Queries;
using Dms.Previews;
using Dms.Worker.Tools;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Previews;

/// <summary>The preview images made of one version: page 0 is the thumbnail, pages from 1 the page images.</summary>
public sealed record PreviewImages(IReadOnlyList<(int Page, string Path)> Images, string Detail);

/// <summary>
/// Renders a version's thumbnail (with an image's one page), or a block of a PDF's pages a reader asked for
/// (<see cref="OpenPreview.PagesPerRendering"/>), as PNGs no larger than the settings' longest side:
/// PDF pages with <c>pdftoppm -scale-to</c> (whatever the page's size, the image is bounded) under the tool budget;
/// images with libvips (<see cref="ImagePreviewProcess"/>, in a child process) after their header's pixel count is
/// checked against the budget. Other types have no preview. Content that cannot be rendered within the budgets is an
/// <see cref="UnreadableContentException"/> saying why.
/// </summary>
public sealed partial class PreviewRenderer(IOptions<PreviewOptions> options, IOptions<ToolOptions> budgets, ImagePreviewProcess images)
{
    public async Task<PreviewImages> RenderAsync(string file, string type, string folder, CancellationToken cancellationToken)
    {
        var output = Path.Combine(folder, "preview");
        Directory.CreateDirectory(output);
        if (type == ContentTypes.Pdf)
        {
            return await RenderPdfAsync(file, output, cancellationToken);
        }

        var (width, height) = ImageSize.Read(file, type);
        if (width * height > budgets.Value.MaxPixels)
        {
            throw new UnreadableContentException(
                $"The image is {width:N0} × {height:N0} pixels, more than the {budgets.Value.MaxPixels:N0} a preview is made from (Dms:Extraction:MaxPixels).");
        }

        await images.RenderAsync(file, output, cancellationToken);
        return new PreviewImages([(0, Path.Combine(output, ImagePreviewProcess.Thumbnail)), (1, Path.Combine(output, ImagePreviewProcess.FirstPage))],
            "a thumbnail and 1 page image");
    }

    /// <summary>
    /// Only the thumbnail: a PDF's page images are rendered when a reader first asks for them. Rendering the first ten
    /// at 1,400 pixels for every upload took the pipeline from about 20 to 5 one-page documents a second
    /// (<c>./dms.sh bench pipeline</c>), for pages most documents never have opened.
    /// </summary>
    private async Task<PreviewImages> RenderPdfAsync(string file, string output, CancellationToken cancellationToken)
    {
        await PdftoppmAsync(file, ["-f", "1", "-l", "1", "-scale-to", Number(options.Value.ThumbnailPixels), "-singlefile"], Path.Combine(output, "thumbnail"), cancellationToken);
        return new PreviewImages([(0, Path.Combine(output, "thumbnail.png"))], "a thumbnail");
    }

    /// <summary>The images of a PDF's pages from <paramref name="from"/>, as many as one rendering makes (fewer at the end).</summary>
    public async Task<IReadOnlyList<(int Page, string Path)>> RenderPagesAsync(string file, int from, string output, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(output);
        var last = from + OpenPreview.PagesPerRendering - 1;
        await PdftoppmAsync(file, ["-f", Number(from), "-l", Number(last), "-scale-to", Number(options.Value.PagePixels)], Path.Combine(output, "page"), cancellationToken);
        // pdftoppm names pages prefix-N.png, N zero-padded to the document's page count's digits.
        return [.. Directory.EnumerateFiles(output, "page-*.png")
            .Select(path => (Page: int.Parse(PageNumber().Match(Path.GetFileName(path)).Groups[1].Value, CultureInfo.InvariantCulture), Path: path))
            .Where(p => p.Page >= from && p.Page <= last)
            .OrderBy(p => p.Page)];
    }

    private async Task PdftoppmAsync(string file, string[] arguments, string prefix, CancellationToken cancellationToken)
    {
        CommandResult result;
        try
        {
            result = await CommandLine.RunAsync("pdftoppm", ["-png", .. arguments, file, prefix], null, options.Value.Timeout, cancellationToken, budgets.Value.ToolBudget);
        }
        catch (TimeoutException)
        {
            throw new UnreadableContentException($"Rendering the preview took longer than {options.Value.Timeout} (Dms:Preview:Timeout): a page draws more than a page should.");
        }

        if (result.Signalled)
        {
            throw new UnreadableContentException(
                $"Rendering the preview needed more than {budgets.Value.MemoryInWords} of memory or {budgets.Value.MaxToolCpuTime} of processor time (Dms:Extraction budgets).");
        }

        if (result.ExitCode != 0)
        {
            throw new UnreadableContentException($"The preview could not be rendered: {result.FirstErrorLine}");
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^page-0*(\d+)\.png$")]
    private static partial Regex PageNumber();
}
