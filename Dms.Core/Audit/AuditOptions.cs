using System.ComponentModel.DataAnnotations;

namespace Dms.Audit;

/// <summary>How the audit trail is written, sealed and kept, bound from <c>Dms:Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string Section = "Dms:Audit";

    /// <summary>How long a tenant's events are kept when its plan names no other: seven years, as bookkeeping asks.</summary>
    [Range(30, 36_500, ErrorMessage = "Dms:Audit:RetentionDays must be 30 to 36500: the database keeps every event at least 30 days.")]
    public int RetentionDays { get; set; } = 7 * 365 + 2;

    /// <summary>Days kept per plan (<c>Dms:Audit:Plans:{plan}</c>); a plan not named keeps <see cref="RetentionDays"/>.</summary>
    public Dictionary<string, int> Plans { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether reads (a document viewed, its text, a page image, a download) are recorded. On by default; a deployment
    /// that must not keep who read what may turn it off: changes, sign-ins and admins' actions are always recorded.
    /// </summary>
    public bool RecordReads { get; set; } = true;

    /// <summary>How often the reads' events gathered in a process are written.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10", ErrorMessage = "Dms:Audit:FlushInterval must be 10 ms to 10 s.")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Reads' events a process holds before reads wait for them to be written.</summary>
    [Range(100, 1_000_000, ErrorMessage = "Dms:Audit:QueueCapacity must be 100 to 1000000.")]
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>How often the worker extends the chains.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "Dms:Audit:SealInterval must be 100 ms to 1 hour.")]
    public TimeSpan SealInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Where copies of the sealed chains are written (<see cref="AuditArchiver"/>): a folder of this machine, or, with
    /// <see cref="ArchiveBucket"/>, an S3 bucket (the AWS template's, with Object Lock in compliance mode). Neither set:
    /// no copies.
    /// </summary>
    public string? ArchiveFolder { get; set; }

    public string? ArchiveBucket { get; set; }

    /// <summary>How often each tenant's new links are copied to the archive: daily.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Dms:Audit:ArchiveInterval must be 1 second to 7 days.")]
    public TimeSpan ArchiveInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The most events one page of the list or one export gives.</summary>
    public const int MaxPageSize = 500;

    public int RetentionFor(string? plan) => plan is not null && Plans.TryGetValue(plan, out var days) ? days : RetentionDays;
}
