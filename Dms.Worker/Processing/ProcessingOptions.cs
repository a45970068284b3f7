using System.ComponentModel.DataAnnotations;
using Dms.Worker.Tools;

namespace Dms.Worker.Processing;

/// <summary>Settings of the processing pipeline, bound from <c>Dms:Processing</c>.</summary>
public sealed class ProcessingOptions
{
    public const string Section = "Dms:Processing";

    /// <summary>How long an idle worker waits on the queue before it looks again (a notification wakes it sooner).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00",
        ErrorMessage = "Dms:Processing:PollInterval must be between 00:00:00.050 and 00:10:00.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Documents processed at the same time by this worker. Above the core count: most steps wait on the database,
    /// storage or clamd, and OCR has its own limit (<c>Dms:Ocr:MaxParallelPages</c>).
    /// </summary>
    [Range(1, 64, ErrorMessage = "Dms:Processing:Concurrency must be 1 to 64.")]
    public int Concurrency { get; set; } = Environment.ProcessorCount * 4;

    /// <summary>
    /// Documents of one tenant processed at the same time by this worker; by default one less than
    /// <see cref="Concurrency"/>, so one tenant's burst uses the worker yet always leaves a consumer free for another
    /// tenant's next document.
    /// </summary>
    [Range(1, 64, ErrorMessage = "Dms:Processing:MaxJobsPerTenant must be 1 to 64.")]
    public int? MaxJobsPerTenant { get; set; }

    public int JobsPerTenant => Math.Min(Concurrency, MaxJobsPerTenant ?? Math.Max(1, Concurrency - 1));

    /// <summary>Tries of a failing step (the scanner down, say) before the job is dead-lettered.</summary>
    [Range(1, 20, ErrorMessage = "Dms:Processing:MaxAttempts must be 1 to 20.")]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first retry's delay; each next one doubles, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Dms:Processing:RetryBaseDelay must be between 00:00:00.010 and 00:10:00.")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "Dms:Processing:RetryMaxDelay must be between 00:00:00.010 and 01:00:00.")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longer extracted text is cut here, so one huge file cannot fill the database.</summary>
    [Range(1, 1_000_000_000, ErrorMessage = "Dms:Processing:MaxTextLength must be 1 to 1000000000.")]
    public int MaxTextLength { get; set; } = 10_000_000;

    /// <summary>
    /// Where a job's file and page images live while it runs; each job's folder is removed after it, and what a crash
    /// left is removed at start (<see cref="WorkFolders"/>). By default a folder of this process's own; a configured
    /// folder belongs to one worker, which empties it when it starts.
    /// </summary>
    public string WorkFolder { get; set; } = ProcessWorkFolder.Value;

    private static readonly Lazy<string> ProcessWorkFolder = new(WorkFolders.ForThisProcess);
}
