using System.ComponentModel.DataAnnotations;
using Dms.Contracts;

namespace Dms.Worker.Scanning;

public enum ScannerProvider
{
    Clamd,

    /// <summary>No scan: every document records <c>scan: skipped</c>, so nobody mistakes it for a clean verdict.</summary>
    Disabled,
}

/// <summary>The malware scanner, bound from <c>Dms:Scanner</c>.</summary>
public sealed class ScannerOptions
{
    public const string Section = "Dms:Scanner";

    public ScannerProvider Provider { get; set; } = ScannerProvider.Clamd;

    [Required(ErrorMessage = "Dms:Scanner:Host is required.")]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535, ErrorMessage = "Dms:Scanner:Port must be 1 to 65535.")]
    public int Port { get; set; } = 3310;

    /// <summary>The largest file sent to the scanner: clamd is configured to take exactly this much (it scans nothing over 2 GB).</summary>
    [Range(1, ScanLimits.MaxFileBytes, ErrorMessage = "Dms:Scanner:MaxFileBytes must be 1 to 2,097,152,000 (clamd scans nothing larger).")]
    public long MaxFileBytes { get; set; } = ScanLimits.MaxFileBytes;

    /// <summary>How long one scan may take, connection included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Dms:Scanner:Timeout must be between 00:00:01 and 01:00:00.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);
}
