using System.Globalization;
using Dms.Worker.Extraction;
using Dms.Worker.Ocr;
using Dms.Worker.Processing;
using Microsoft.Extensions.Options;
using NetVips;

namespace Dms.Worker.Previews;

/// <summary>
/// Shrinks an image (PNG, JPEG, the first page of a TIFF) to a page image and a thumbnail with libvips (NetVips), in a
/// child process: the worker's own assembly started as <c>Dms.Worker preview {file} {folder} {page pixels}
/// {thumbnail pixels}</c>, under the tool budget's processor time and the preview timeout. libvips decodes with
/// shrink-on-load and sequential access, so memory follows the output's size more than the input's; a decoder that
/// crashes or runs away on a crafted file ends that process, never the worker.
/// </summary>
public sealed class ImagePreviewProcess(IOptions<PreviewOptions> options, IOptions<ExtractionOptions> budgets)
{
    public const string Command = "preview";
    public const string Thumbnail = "thumbnail.png";
    public const string FirstPage = "page-1.png";
    private const int Unreadable = 65;

    public async Task RenderAsync(string file, string folder, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_GCHeapHardLimit"] = budgets.Value.MaxToolMemoryBytes.ToString("X", CultureInfo.InvariantCulture),
            ["DOTNET_gcServer"] = "0",
            // One thread: the worker's other jobs keep the other core.
            ["VIPS_CONCURRENCY"] = "1",
        };
        string[] arguments =
        [
            typeof(ImagePreviewProcess).Assembly.Location, Command, file, folder,
            settings.PagePixels.ToString(CultureInfo.InvariantCulture), settings.ThumbnailPixels.ToString(CultureInfo.InvariantCulture),
        ];
        CommandResult result;
        try
        {
            result = await CommandLine.RunAsync(ReaderProcess.DotnetHost, arguments, environment, settings.Timeout, cancellationToken,
                ToolBudget.ForDotnetChild(budgets.Value.MaxToolMemoryBytes, budgets.Value.MaxToolCpuTime));
        }
        catch (TimeoutException)
        {
            throw new UnreadableContentException($"Making the image's preview took longer than {settings.Timeout} (Dms:Preview:Timeout).");
        }

        _ = result switch
        {
            { ExitCode: 0 } => 0,
            { ExitCode: Unreadable } => throw new UnreadableContentException($"The image's preview could not be made: {TesseractOcrEngine.FirstLine(result.Error)}"),
            { Signalled: true } => throw new UnreadableContentException(
                $"Making the image's preview needed more than {budgets.Value.MaxToolCpuTime} of processor time or crashed its decoder: the image is built to expand."),
            _ => throw new InvalidOperationException($"The preview process ended with exit code {result.ExitCode}: {TesseractOcrEngine.FirstLine(result.Error)}"),
        };
    }

    /// <summary>The child's side: writes <see cref="FirstPage"/> and <see cref="Thumbnail"/> into the folder.</summary>
    public static int Serve(IReadOnlyList<string> arguments)
    {
        if (arguments is not [var file, var folder, var pagePixels, var thumbnailPixels])
        {
            Console.Error.WriteLine($"usage: Dms.Worker {Command} <image> <folder> <page pixels> <thumbnail pixels>");
            return 2;
        }

        try
        {
            Cache.Max = 0;
            var pageSize = int.Parse(pagePixels, CultureInfo.InvariantCulture);
            var thumbnailSize = int.Parse(thumbnailPixels, CultureInfo.InvariantCulture);
            // Never larger than the image: a small image stays as it is. Decoded once, as it streams in; the page image
            // (bounded by the page size) is kept in memory to make the thumbnail from.
            using var shrunk = Image.Thumbnail(file, pageSize, height: pageSize, size: Enums.Size.Down, failOn: Enums.FailOn.Error);
            using var page = shrunk.CopyMemory();
            page.Pngsave(Path.Combine(folder, FirstPage));
            using var thumbnail = page.ThumbnailImage(thumbnailSize, height: thumbnailSize, size: Enums.Size.Down);
            thumbnail.Pngsave(Path.Combine(folder, Thumbnail));
            return 0;
        }
        catch (VipsException e)
        {
            Console.Error.WriteLine(e.Message.ReplaceLineEndings(" "));
            return Unreadable;
        }
    }
}
