using System.Diagnostics.Metrics;
using Dms.Contracts;
using Dms.Tenants;

namespace Dms.Worker.Sweeps;

/// <summary><c>dms.storage.used_bytes{tenant}</c>: the runbook's "storage usage" widget, measured after each sweep.</summary>
public sealed class StorageMetrics
{
    private IReadOnlyList<Tenant> _tenants = [];

    public StorageMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(TelemetryNames.Dms);
        meter.CreateObservableGauge(
            "dms.storage.used_bytes",
            () => Volatile.Read(ref _tenants).Select(t => new Measurement<long>(t.UsedBytes, new KeyValuePair<string, object?>("tenant", t.Id.ToString()))),
            "By",
            "Bytes each tenant stores or has reserved for uploads in progress.");
    }

    public void Measured(IReadOnlyList<Tenant> tenants) => Volatile.Write(ref _tenants, tenants);
}
