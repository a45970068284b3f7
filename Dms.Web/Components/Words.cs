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

    /// <summary>A document type's retention in a few words ("7 years from its date, then the trash"); "kept" without one.</summary>
    public static string Retention(RetentionItem? rule) => rule is null
        ? "kept"
        : $"{(rule.Days % 365 == 0 ? $"{rule.Days / 365} {(rule.Days == 365 ? "year" : "years")}" : $"{rule.Days} {(rule.Days == 1 ? "day" : "days")}")} "
          + $"from {(rule.From == "added" ? "when added" : "its date")}, then {(rule.Action == "review" ? "review" : "the trash")}";

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

    /// <summary>A file's type as people name it ("PDF", "Word document"), not its media type.</summary>
    public static string FileType(string contentType) => contentType.ToLowerInvariant() switch
    {
        "application/pdf" => "PDF",
        "application/msword" or "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "Word document",
        "application/vnd.ms-excel" or "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "Excel spreadsheet",
        "application/vnd.ms-powerpoint" or "application/vnd.openxmlformats-officedocument.presentationml.presentation" => "PowerPoint presentation",
        "application/vnd.oasis.opendocument.text" => "OpenDocument text",
        "application/vnd.oasis.opendocument.spreadsheet" => "OpenDocument spreadsheet",
        "application/rtf" or "text/rtf" => "Rich text",
        "text/plain" => "Text",
        "text/csv" => "CSV",
        "text/html" => "Web page",
        "text/markdown" => "Markdown",
        "message/rfc822" => "E-mail",
        "image/png" => "PNG image",
        "image/jpeg" => "JPEG image",
        "image/tiff" => "TIFF image",
        "image/gif" => "GIF image",
        "image/webp" => "WebP image",
        var other when other.StartsWith("image/") => "Image",
        var other => other.Contains('/') ? other[(other.IndexOf('/') + 1)..].ToUpperInvariant() : other,
    };

    /// <summary>
    /// Something a person wrote, quoted back to them: its control characters dropped and cut at 40 characters, so that
    /// an address's hostile value cannot break the sentence that names it.
    /// </summary>
    public static string Shown(string written)
    {
        var printable = new string([.. written.Where(c => !char.IsControl(c))]);
        return printable.Length <= 40 ? printable : $"{printable[..40]}…";
    }

    /// <summary>How a field of the data type reads in ascending and in descending order.</summary>
    public static (string Ascending, string Descending) Directions(string dataType) => dataType switch
    {
        FieldDataTypes.Integer or FieldDataTypes.Decimal or FieldDataTypes.Monetary => ("lowest first", "highest first"),
        FieldDataTypes.Date => ("earliest first", "latest first"),
        FieldDataTypes.Boolean => ("no first", "yes first"),
        FieldDataTypes.Select or FieldDataTypes.MultiSelect => ("in the order of its choices", "in reverse order"),
        _ => ("A to Z", "Z to A"),
    };

    /// <summary>A custom field's data type in words.</summary>
    public static string DataType(string dataType) => dataType switch
    {
        FieldDataTypes.LongText => "long text",
        FieldDataTypes.MultiSelect => "multiple choice",
        FieldDataTypes.Select => "choice",
        FieldDataTypes.Monetary => "amount of money",
        FieldDataTypes.Url => "web address",
        FieldDataTypes.DocumentLink => "link to a document",
        FieldDataTypes.Boolean => "yes or no",
        _ => dataType,
    };
}
