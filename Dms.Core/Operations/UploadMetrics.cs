using System.Diagnostics.Metrics;
using Dms.Contracts;

namespace Dms.Operations;

/// <summary><c>dms.uploads{outcome}</c> on the <c>Dms</c> meter: the runbook's "upload success" row.</summary>
public sealed class UploadMetrics
{
    private readonly Counter<long> _uploads;

    public UploadMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(TelemetryNames.Dms);
        _uploads = meter.CreateCounter<long>("dms.uploads", "{upload}", "Uploads by outcome: initiated, completed, failed, expired.");
    }

    public void Ended(string outcome) => _uploads.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
