using System.Globalization;
using Dms.Worker.Tools;
using Microsoft.Extensions.Options;
using NetVips;

namespace Dms.Worker.Previews;

/// <summary>
/// Shrinks an image (PNG, JPEG, the first page of a TIFF) to a page image and a thumbnail with libvips (NetVips), in a
/// <see cref="ChildProcess"/> (<c>Dms.Worker preview {file} {folder} {page pixels} {thumbnail pixels}</c>) under the
/// tool budgets and the preview timeout. libvips decodes with shrink-on-load and sequential access, so memory follows
/// the output's size more than the input's; a decoder that crashes or runs away on a crafted file ends that process,
/// never the worker.
/// </summary>
public sealed class ImagePreviewProcess(ChildProcess child, IOptions<PreviewOptions> options, IOptions<ToolOptions> budgets)
{
    public const string Command = "preview";
    public const string Thumbnail = "thumbnail.png";
    public const string FirstPage = "page-1.png";

    public async Task RenderAsync(string file, string folder, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        // One thread: the worker's other jobs keep the other core.
        var environment = new Dictionary<string, string> { ["VIPS_CONCURRENCY"] = "1" };
        CommandResult result;
        try
        {
            result = await child.RunAsync(
                Command, [file, folder, settings.PagePixels.ToString(CultureInfo.InvariantCulture), settings.ThumbnailPixels.ToString(CultureInfo.InvariantCulture)],
                settings.Timeout, cancellationToken, environment);
        }
        catch (TimeoutException)
        {
            throw new UnreadableContentException($"Making the image's preview took longer than {settings.Timeout} (Dms:Preview:Timeout).");
        }

        _ = result switch
        {
            { ExitCode: 0 } => 0,
            { ExitCode: ChildProcess.Unreadable } => throw new UnreadableContentException($"The image's preview could not be made: {result.FirstErrorLine}"),
            { Signalled: true } => throw new UnreadableContentException(
                $"Making the image's preview needed more than {budgets.Value.MaxToolCpuTime} of processor time or crashed its decoder: the image is built to expand."),
            _ => throw new InvalidOperationException($"The preview process ended with exit code {result.ExitCode}: {result.FirstErrorLine}"),
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
            return ChildProcess.Unreadable;
        }
    }
}
