using Dms.Tenants;

namespace Dms.Worker.Sweeps;

public static class SweepRegistration
{
    public static IHostApplicationBuilder AddSweeps(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SweepOptions>().BindConfiguration(SweepOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<TenantService>();
        builder.Services.AddSingleton<StorageMetrics>();
        builder.Services.AddHostedService<SweepLoop>();
        return builder;
    }
}
