using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dms.Worker.Scanning;

/// <summary>Ready only while clamd answers PING: without it documents wait in the scan step.</summary>
public sealed class ClamdHealthCheck(ClamdScanner scanner) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await scanner.PingAsync(cancellationToken)
                ? HealthCheckResult.Healthy("clamd answers PING.")
                : HealthCheckResult.Unhealthy("clamd answered PING with something other than PONG.");
        }
        catch (ScannerUnavailableException e)
        {
            return HealthCheckResult.Unhealthy(e.Message);
        }
    }
}
