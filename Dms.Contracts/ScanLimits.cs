namespace Dms.Contracts;

/// <summary>
/// The one size limit uploads and the malware scanner share: clamd scans nothing larger than 2 GB, so the API accepts
/// nothing larger by default, and clamd is configured (locally and in the AWS task) to take exactly this much.
/// </summary>
public static class ScanLimits
{
    /// <summary>2,000 MiB: clamd's <c>StreamMaxLength</c>, <c>MaxScanSize</c> and <c>MaxFileSize</c>, and the default upload limit.</summary>
    public const long MaxFileBytes = 2000L * 1024 * 1024;
}
