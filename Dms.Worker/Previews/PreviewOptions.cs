using System.ComponentModel.DataAnnotations;

namespace Dms.Worker.Previews;

/// <summary>What the preview step makes (<c>Dms:Preview</c>): sizes in pixels of the longest side, how many pages, how long.</summary>
public sealed class PreviewOptions
{
    public const string Section = "Dms:Preview";

    [Range(32, 1024)] public int ThumbnailPixels { get; set; } = 320;

    [Range(200, 4000)] public int PagePixels { get; set; } = 1400;

    /// <summary>Pages with an image (the first ones): a page viewer shows these, the download has the rest.</summary>
    [Range(1, 100)] public int MaxPages { get; set; } = 10;

    /// <summary>The wall time of one rendering tool run.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(1);
}
