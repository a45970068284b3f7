using System.Globalization;
using Dms.Contracts.Http;

namespace Dms.Web.Components;

/// <summary>How the pages put the API's values into words: one place, so that every page says them the same way.</summary>
public static class Words
{
    public static string Status(string status) => status switch
    {
        DocumentStatuses.PendingUpload => "waiting for upload",
        DocumentStatuses.Deleted => "in the trash",
        _ => status.Replace('_', ' '),
    };

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.##} GiB"),
    };

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Verdict(VersionResponse version) => (version.Uploaded, version.ScanVerdict) switch
    {
        (false, _) => "not uploaded",
        (_, ScanVerdicts.None) => "not scanned yet",
        (_, ScanVerdicts.Clean) => "clean",
        (_, ScanVerdicts.Infected) => "malware found",
        (_, ScanVerdicts.Skipped) => "not scanned (scanner off)",
        (_, var other) => other,
    };
}
