namespace Dms.Worker.Processing;

/// <summary>
/// How many jobs of each tenant this worker runs at once, at most <see cref="ProcessingOptions.JobsPerTenant"/>: the
/// consumers ask the queue for other tenants' jobs while one tenant is at its limit, and a job of that tenant the
/// queue hands out anyway (SQS) waits here for a slot.
/// </summary>
public sealed class TenantSlots(int perTenant)
{
    private readonly Dictionary<Guid, int> _running = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _freed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The tenants at their limit now.</summary>
    public IReadOnlyCollection<Guid> Busy
    {
        get
        {
            lock (_lock)
            {
                return [.. _running.Where(r => r.Value >= perTenant).Select(r => r.Key)];
            }
        }
    }

    /// <summary>Waits for one of the tenant's slots; disposing the answer gives it back.</summary>
    public async Task<IDisposable> EnterAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task freed;
            lock (_lock)
            {
                var running = _running.GetValueOrDefault(tenantId);
                if (running < perTenant)
                {
                    _running[tenantId] = running + 1;
                    return new Slot(this, tenantId);
                }

                freed = _freed.Task;
            }

            await freed.WaitAsync(cancellationToken);
        }
    }

    private void Leave(Guid tenantId)
    {
        TaskCompletionSource freed;
        lock (_lock)
        {
            if (--_running[tenantId] == 0)
            {
                _running.Remove(tenantId);
            }

            freed = _freed;
            _freed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        freed.SetResult();
    }

    private sealed class Slot(TenantSlots slots, Guid tenantId) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                slots.Leave(tenantId);
            }
        }
    }
}
