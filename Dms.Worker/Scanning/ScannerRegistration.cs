using Dms.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dms.Worker.Scanning;

public static class ScannerRegistration
{
    /// <summary>clamd, unless <c>Dms:Scanner:Provider</c> switches scanning off (then no scanner is registered at all).</summary>
    public static IHostApplicationBuilder AddScanner(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<ScannerOptions>(ScannerOptions.Section);
        var provider = builder.Configuration.GetSection(ScannerOptions.Section).GetValue<ScannerProvider?>(nameof(ScannerOptions.Provider));
        if (provider is not ScannerProvider.Disabled)
        {
            builder.Services.AddSingleton<ClamdScanner>();
            builder.Services.AddSingleton<IMalwareScanner>(services => services.GetRequiredService<ClamdScanner>());
            builder.Services.AddHealthChecks().AddCheck<ClamdHealthCheck>("scanner");
        }
        else
        {
            // Off on purpose, and said so: the worker is not fully healthy while uploads go unscanned.
            builder.Services.AddHealthChecks().AddCheck("scanner", () =>
                HealthCheckResult.Degraded($"Switched off ({ScannerOptions.Section}:Provider is Disabled): uploads are not scanned for malware."));
        }

        return builder;
    }
}
