using Dms.Common;
using Dms.Tenants;

namespace Dms.Worker.Sweeps;

public static class SweepRegistration
{
    public static IHostApplicationBuilder AddSweeps(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<SweepOptions>(SweepOptions.Section);
        builder.Services.AddScoped<ListTenants>();
        builder.Services.AddSingleton<StorageMetrics>();
        builder.Services.AddHostedService<SweepLoop>();
        builder.Services.AddHostedService<AuditSealLoop>();
        return builder;
    }
}
