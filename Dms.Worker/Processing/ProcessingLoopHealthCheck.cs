using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Dms.Worker.Processing;

/// <summary>Healthy while the worker reads the queue at least every three poll intervals.</summary>
public sealed class ProcessingLoopHealthCheck(ProcessingHeartbeat heartbeat, IOptions<ProcessingOptions> options, TimeProvider time)
    : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (lastBeat, depth, lastError) = heartbeat.Read();
        var allowedSilence = options.Value.PollInterval * 3;
        var result = lastBeat switch
        {
            null => HealthCheckResult.Unhealthy($"The worker has not read the queue yet. {lastError}".TrimEnd()),
            var at when time.GetUtcNow() - at > allowedSilence =>
                HealthCheckResult.Unhealthy($"The worker last read the queue at {at:O}. {lastError}".TrimEnd()),
            var at => HealthCheckResult.Healthy($"Last look at the queue at {at:O}: {depth.Waiting} jobs waiting, {depth.DeadLetters} dead letters."),
        };
        return Task.FromResult(result);
    }
}
