using System.ComponentModel.DataAnnotations;
using Dms.Contracts;

namespace Dms.Documents;

/// <summary>The limits on what users upload and list, bound from <c>Dms:Documents</c>.</summary>
public sealed class DocumentOptions
{
    public const string Section = "Dms:Documents";

    private static readonly TimeSpan LongestUploadUrlLifetime = TimeSpan.FromDays(7);

    /// <summary>What the malware scanner can scan: a larger file could never be served.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "Dms:Documents:MaxSizeBytes must be positive.")]
    public long MaxSizeBytes { get; set; } = ScanLimits.MaxFileBytes;

    [Range(1, 255, ErrorMessage = "Dms:Documents:MaxFileNameLength must be 1 to 255.")]
    public int MaxFileNameLength { get; set; } = 255;

    [Range(1, 500, ErrorMessage = "Dms:Documents:MaxTitleLength must be 1 to 500.")]
    public int MaxTitleLength { get; set; } = 500;

    [Range(0, 100, ErrorMessage = "Dms:Documents:MaxTags must be 0 to 100.")]
    public int MaxTags { get; set; } = 20;

    [Range(1, 100, ErrorMessage = "Dms:Documents:MaxTagLength must be 1 to 100.")]
    public int MaxTagLength { get; set; } = 50;

    [Range(1, 1000, ErrorMessage = "Dms:Documents:MaxPageSize must be 1 to 1000.")]
    public int MaxPageSize { get; set; } = 200;

    /// <summary>Blocks of page images one tenant may have waiting to be rendered: past it, a reader is asked to come back.</summary>
    [Range(1, 10_000, ErrorMessage = "Dms:Documents:MaxPendingPageRenderings must be 1 to 10000.")]
    public int MaxPendingPageRenderings { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00", ErrorMessage = "Dms:Documents:UploadUrlLifetime must be between 10 seconds and 7 days.")]
    public TimeSpan UploadUrlLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The slowest upload an upload URL waits for: a file gets <see cref="UploadUrlLifetime"/> plus its size at this speed.</summary>
    [Range(1024, long.MaxValue, ErrorMessage = "Dms:Documents:SlowestUploadBytesPerSecond must be at least 1024.")]
    public long SlowestUploadBytesPerSecond { get; set; } = 1024 * 1024;

    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00", ErrorMessage = "Dms:Documents:DownloadUrlLifetime must be between 10 seconds and 7 days.")]
    public TimeSpan DownloadUrlLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>What the pipeline can read: PDF, images for OCR, text formats and Office Open XML.</summary>
    [MinLength(1, ErrorMessage = "Dms:Documents:AllowedContentTypes must name at least one type.")]
    public string[] AllowedContentTypes { get; set; } =
    [
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/tiff",
        "text/plain",
        "text/markdown",
        "text/csv",
        "text/html",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ];

    /// <summary>How long the upload URL for a file of <paramref name="sizeBytes"/> lives: time to send it at the slowest speed allowed, at most 7 days (S3's limit).</summary>
    public TimeSpan UploadUrlLifetimeFor(long sizeBytes)
    {
        var seconds = UploadUrlLifetime.TotalSeconds + (double)sizeBytes / SlowestUploadBytesPerSecond;
        return seconds < LongestUploadUrlLifetime.TotalSeconds ? TimeSpan.FromSeconds(seconds) : LongestUploadUrlLifetime;
    }

    /// <summary>How the tenant's documents write dates in numbers, for the date the pipeline proposes (10.02.2027: day first, or month first).</summary>
    public DateOrder DateOrder { get; set; } = DateOrder.DayMonthYear;
}
