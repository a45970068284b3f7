using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Processing;

/// <summary>Healthy while the processing loop completes a turn at least every three poll intervals.</summary>
public sealed class ProcessingLoopHealthCheck(ProcessingHeartbeat heartbeat, IOptions<ProcessingOptions> options, TimeProvider time)
    : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (lastBeat, queued, lastError) = heartbeat.Read();
        var allowedSilence = options.Value.PollInterval * 3;
        var result = lastBeat switch
        {
            null => HealthCheckResult.Unhealthy($"The processing loop has not completed a turn yet. {lastError}".TrimEnd()),
            var at when time.GetUtcNow() - at > allowedSilence =>
                HealthCheckResult.Unhealthy($"The processing loop last completed a turn at {at:O}. {lastError}".TrimEnd()),
            var at => HealthCheckResult.Healthy($"Last turn at {at:O}; {queued} documents queued."),
        };
        return Task.FromResult(result);
    }
}
