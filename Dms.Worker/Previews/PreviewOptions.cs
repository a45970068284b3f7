using System.ComponentModel.DataAnnotations;

namespace Dms.Worker.Previews;

/// <summary>What the preview step makes (<c>Dms:Preview</c>): sizes in pixels of the longest side, how long.</summary>
public sealed class PreviewOptions
{
    public const string Section = "Dms:Preview";

    [Range(32, 1024)] public int ThumbnailPixels { get; set; } = 320;

    [Range(200, 4000)] public int PagePixels { get; set; } = 1400;

    /// <summary>The wall time of one rendering tool run.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(1);
}
