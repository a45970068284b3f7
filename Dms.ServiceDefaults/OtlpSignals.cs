using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Which signals go to the OTLP endpoint (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>): all three by default (the Aspire
/// dashboard shows them), less where OpenTelemetry's own <c>OTEL_LOGS_EXPORTER</c> / <c>OTEL_TRACES_EXPORTER</c> /
/// <c>OTEL_METRICS_EXPORTER</c> say <c>none</c>: in AWS the collector beside each task takes the metrics only (the logs go
/// to CloudWatch Logs from the console already).
/// </summary>
public sealed record OtlpSignals(bool Logs, bool Traces, bool Metrics)
{
    public bool Any => Logs || Traces || Metrics;

    public bool All => Logs && Traces && Metrics;

    /// <summary>Nothing without an endpoint: telemetry then stays in the process.</summary>
    public static OtlpSignals From(IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return new OtlpSignals(false, false, false);
        }

        bool Exported(string variable) => !string.Equals(configuration[variable]?.Trim(), "none", StringComparison.OrdinalIgnoreCase);
        return new OtlpSignals(Exported("OTEL_LOGS_EXPORTER"), Exported("OTEL_TRACES_EXPORTER"), Exported("OTEL_METRICS_EXPORTER"));
    }
}
