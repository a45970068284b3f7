using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Runs the readiness checks at most once every <see cref="CacheFor"/> and hands every probe in between the same
/// report: a burst of probes (load balancers, dashboards, an attacker) costs each dependency one check, not one each.
/// </summary>
public sealed class CachedHealthReport(HealthCheckService health, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _running = new(1, 1);
    private CheckedReport? _last;

    /// <summary>A health report and when its checks ran.</summary>
    public sealed record CheckedReport(HealthReport Report, DateTimeOffset CheckedAt);

    public async Task<CheckedReport> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } fresh)
        {
            return fresh;
        }

        await _running.WaitAsync(cancellationToken);
        try
        {
            return Fresh() ?? (_last = new CheckedReport(await health.CheckHealthAsync(cancellationToken), time.GetUtcNow()));
        }
        finally
        {
            _running.Release();
        }
    }

    private CheckedReport? Fresh() => _last is { } last && time.GetUtcNow() - last.CheckedAt < CacheFor ? last : null;
}
