namespace Dms.Worker.Processing;

/// <summary>
/// How many jobs of each tenant this worker runs at once, at most <see cref="ProcessingOptions.JobsPerTenant"/>: the
/// consumers ask the queue for other tenants' jobs while one tenant is at its limit, and a job of that tenant the
/// queue hands out anyway (SQS cannot leave tenants out) is postponed rather than waited on, so no consumer sits idle
/// behind one tenant while another tenant's job waits.
/// </summary>
public sealed class TenantSlots(int perTenant)
{
    private readonly Dictionary<Guid, int> _running = [];
    private readonly Lock _lock = new();

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

    /// <summary>Takes one of the tenant's slots, which disposing the answer gives back; null when the tenant is at its limit.</summary>
    public IDisposable? TryEnter(Guid tenantId)
    {
        lock (_lock)
        {
            var running = _running.GetValueOrDefault(tenantId);
            if (running >= perTenant)
            {
                return null;
            }

            _running[tenantId] = running + 1;
            return new Slot(this, tenantId);
        }
    }

    private void Leave(Guid tenantId)
    {
        lock (_lock)
        {
            if (--_running[tenantId] == 0)
            {
                _running.Remove(tenantId);
            }
        }
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
