using Dms.Operations;

namespace Dms.Processing;

/// <summary>
/// A document version waiting for the pipeline, written in the same transaction as the status change. With the
/// PostgreSQL queue this row is the queue entry itself; with SQS it is the transactional outbox that the relay moves
/// to the queue.
/// </summary>
public sealed class ProcessingJob
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid DocumentId { get; set; }
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the job can next be taken: now for a new job, later while a worker holds its lease.</summary>
    public DateTimeOffset AvailableAt { get; set; }

    /// <summary>How many times a worker has taken the job.</summary>
    public int Attempts { get; set; }

    /// <summary>Changes each time the job is taken, so a worker whose lease ran out can no longer finish it.</summary>
    public Guid? LeaseToken { get; set; }

    public string? LastError { get; set; }

    /// <summary>Set when the job gave up: it stays, with its attempts and last error, until an operator redrives or purges it.</summary>
    public DateTimeOffset? DeadLetteredAt { get; set; }

    /// <summary>The W3C trace context of the request that queued the job, so the worker's spans join its trace.</summary>
    public string? TraceParent { get; set; }

    /// <summary>Set for a job that renders page images from this page on, not the pipeline (<see cref="Queue.JobMessage.PagesFrom"/>).</summary>
    public int? PagesFrom { get; set; }

    /// <summary>A job that can be taken at once.</summary>
    public static ProcessingJob For(Guid tenantId, Guid documentId, int version, DateTimeOffset now) =>
        new() { TenantId = tenantId, DocumentId = documentId, Version = version, CreatedAt = now, AvailableAt = now, TraceParent = Telemetry.CurrentTraceParent };

    /// <summary>A job that renders the page images from <paramref name="pagesFrom"/> on, taken at once.</summary>
    public static ProcessingJob ForPages(Guid tenantId, Guid documentId, int version, int pagesFrom, DateTimeOffset now)
    {
        var job = For(tenantId, documentId, version, now);
        job.PagesFrom = pagesFrom;
        return job;
    }
}
