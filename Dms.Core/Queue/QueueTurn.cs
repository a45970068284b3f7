namespace Dms.Queue;

/// <summary>
/// When a tenant's job was last taken from the queue: takers serve the tenant served longest ago first, so one
/// tenant's thousands of queued jobs never make another tenant's next job wait behind them.
/// </summary>
public sealed class QueueTurn
{
    public Guid TenantId { get; set; }
    public DateTimeOffset ServedAt { get; set; }
}
