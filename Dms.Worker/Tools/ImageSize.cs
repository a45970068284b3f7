using Dms.Documents;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Jpeg;
using MetadataExtractor.Formats.Png;

namespace Dms.Worker.Tools;

/// <summary>
/// An image's width and height as its header declares them, read before any pixel is decoded. An image whose header
/// does not say is refused: its size could not be checked against the pixel budget, and a decoder would find out only
/// by allocating.
/// </summary>
public static class ImageSize
{
    /// <exception cref="UnreadableContentException">The header cannot be read, or does not declare a width and height.</exception>
    public static (long Width, long Height) Read(string path, string contentType)
    {
        IReadOnlyList<MetadataExtractor.Directory> directories;
        try
        {
            directories = ImageMetadataReader.ReadMetadata(path);
        }
        catch (Exception e) when (e is ImageProcessingException or IOException)
        {
            throw new UnreadableContentException($"The image's header cannot be read: {e.Message}");
        }

        var size = contentType switch
        {
            ContentTypes.Png => Size<PngDirectory>(directories, PngDirectory.TagImageWidth, PngDirectory.TagImageHeight),
            ContentTypes.Jpeg => Size<JpegDirectory>(directories, JpegDirectory.TagImageWidth, JpegDirectory.TagImageHeight),
            // A TIFF's pages each have their own directory: the largest counts.
            ContentTypes.Tiff => directories.OfType<ExifDirectoryBase>()
                .Select(d => Size(d, ExifDirectoryBase.TagImageWidth, ExifDirectoryBase.TagImageHeight))
                .Where(s => s is not null)
                .MaxBy(s => s!.Value.Width * s.Value.Height),
            _ => null,
        };
        return size is { Width: > 0, Height: > 0 } declared
            ? declared
            : throw new UnreadableContentException("The image's header does not declare its width and height, so its size cannot be checked (Dms:Extraction:MaxPixels): it is refused.");
    }

    private static (long Width, long Height)? Size<T>(IEnumerable<MetadataExtractor.Directory> directories, int widthTag, int heightTag)
        where T : MetadataExtractor.Directory =>
        directories.OfType<T>().Select(d => Size(d, widthTag, heightTag)).FirstOrDefault(s => s is not null);

    private static (long Width, long Height)? Size(MetadataExtractor.Directory directory, int widthTag, int heightTag) =>
        directory.TryGetInt64(widthTag, out var width) && directory.TryGetInt64(heightTag, out var height) ? (width, height) : null;
}
