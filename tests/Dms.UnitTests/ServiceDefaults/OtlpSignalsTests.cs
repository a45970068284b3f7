using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Dms.UnitTests.ServiceDefaults;

public sealed class OtlpSignalsTests
{
    [Fact]
    public void Without_an_endpoint_nothing_is_exported()
    {
        Assert.False(OtlpSignals.From(Configuration(("OTEL_LOGS_EXPORTER", "otlp"))).Any);
    }

    [Fact]
    public void With_an_endpoint_every_signal_is_exported_unless_named_none()
    {
        var all = OtlpSignals.From(Configuration(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317")));
        var metricsOnly = OtlpSignals.From(Configuration(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317"), ("OTEL_LOGS_EXPORTER", "none"), ("OTEL_TRACES_EXPORTER", " None ")));

        Assert.Equal(new OtlpSignals(Logs: true, Traces: true, Metrics: true), all);
        Assert.Equal(new OtlpSignals(Logs: false, Traces: false, Metrics: true), metricsOnly);
        Assert.False(metricsOnly.All);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
