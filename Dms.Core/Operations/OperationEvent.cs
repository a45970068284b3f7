namespace Dms.Operations;

/// <summary>
/// One upload or processing run that ended, with how: the rows the operator status counts over a window. Written in
/// the transaction of the change it records, so every process (each api, each worker) counts the same events.
/// </summary>
public sealed class OperationEvent
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary><see cref="OperationEvents.Upload"/> or <see cref="OperationEvents.Processing"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>For uploads: initiated, completed, failed, expired. For processing: ready, failed, quarantined, dead_lettered.</summary>
    public required string Outcome { get; set; }

    public DateTimeOffset OccurredAt { get; set; }
}
