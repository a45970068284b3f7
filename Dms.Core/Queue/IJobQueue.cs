using System.Text.Json.Serialization;

namespace Dms.Queue;

/// <summary>What a job asks of the worker.</summary>
public enum JobKind
{
    /// <summary>The pipeline, on one version: scan, type check, extract, previews, index.</summary>
    Pipeline,

    /// <summary>Only a block of page images a reader asked for (<see cref="JobMessage.PagesFrom"/>): the document does not change.</summary>
    PageImages,
}

/// <summary>What a processing job names: one version of one tenant's document.</summary>
/// <param name="TraceParent">The W3C trace context of the request that queued the job: the worker's spans continue its trace.</param>
/// <param name="PagesFrom">
/// Set for a job that only renders the page images from this page on (a reader asked for one the pipeline did not
/// make), not the pipeline: it changes nothing about the document.
/// </param>
public sealed record JobMessage(Guid TenantId, Guid DocumentId, int Version, string? TraceParent = null, int? PagesFrom = null)
{
    /// <summary>The job's kind, as the queue carries it (<see cref="PagesFrom"/> set or not).</summary>
    [JsonIgnore]
    public JobKind Kind => PagesFrom is null ? JobKind.Pipeline : JobKind.PageImages;
}

/// <summary>A job a worker holds: nobody else takes it until its lease runs out or it is completed or released.</summary>
/// <param name="Id">The queue's id of the job (a row id, or an SQS message id).</param>
/// <param name="Attempt">How many times the job has been taken, this time included.</param>
/// <param name="Lease">Proof of holding the job: a lease token, or an SQS receipt handle.</param>
public sealed record LeasedJob(string Id, JobMessage Message, int Attempt, string Lease);

/// <summary>A job that gave up, kept with its attempts and last error until an operator redrives or purges it.</summary>
public sealed record DeadLetter(string Id, JobMessage Message, int Attempts, string? Error, DateTimeOffset DeadLetteredAt);

public sealed record QueueDepth(long Waiting, long DeadLetters);

/// <summary>
/// The processing queue port: PostgreSQL (jobs table) or SQS (with a dead-letter queue). Jobs are written by the
/// document use cases in their own transaction (<see cref="Processing.ProcessingJob"/>); this port takes them.
/// </summary>
public interface IJobQueue
{
    /// <summary>
    /// Takes the next job, waiting up to <paramref name="wait"/> for one; null when none came. Tenants take turns:
    /// the next job is the oldest of the tenant served longest ago, so no tenant waits behind another's backlog.
    /// </summary>
    /// <param name="busyTenants">
    /// Tenants whose jobs the taker will not take now (they have as many in flight as it allows one tenant). A queue
    /// that cannot filter (SQS) may still return one; the taker then postpones it (<see cref="PostponeAsync"/>).
    /// </param>
    Task<LeasedJob?> TakeAsync(TimeSpan wait, IReadOnlyCollection<Guid> busyTenants, CancellationToken cancellationToken);

    /// <summary>Keeps the job for another lease period; false when the lease was lost (it ran out and someone else took the job).</summary>
    Task<bool> ExtendLeaseAsync(LeasedJob job, CancellationToken cancellationToken);

    /// <summary>Removes a finished job.</summary>
    Task CompleteAsync(LeasedJob job, CancellationToken cancellationToken);

    /// <summary>Gives the job back untouched, for another worker to take now (on shutdown).</summary>
    Task ReleaseAsync(LeasedJob job, CancellationToken cancellationToken);

    /// <summary>
    /// Gives the job back to be taken again after <paramref name="delay"/>, this take not counted as an attempt: the
    /// taker could not start it (its tenant has as many jobs in flight as the taker allows), and must not wait for a
    /// turn while holding a consumer other tenants' jobs need.
    /// </summary>
    Task PostponeAsync(LeasedJob job, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Moves the job to the dead letters with the error that ended it.</summary>
    Task DeadLetterAsync(LeasedJob job, string error, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Puts one dead letter (or all, when <paramref name="id"/> is null) back on the queue; returns how many.</summary>
    Task<int> RedriveAsync(string? id, CancellationToken cancellationToken);

    /// <summary>Deletes one dead letter (or all, when <paramref name="id"/> is null); returns how many.</summary>
    Task<int> PurgeAsync(string? id, CancellationToken cancellationToken);

    Task<QueueDepth> GetDepthAsync(CancellationToken cancellationToken);
}

public static class JobQueueExtensions
{
    /// <summary>Takes the next job of any tenant.</summary>
    public static Task<LeasedJob?> TakeAsync(this IJobQueue queue, TimeSpan wait, CancellationToken cancellationToken) =>
        queue.TakeAsync(wait, [], cancellationToken);
}
