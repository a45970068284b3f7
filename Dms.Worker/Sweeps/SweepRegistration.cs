namespace Dms.Worker.Sweeps;

public static class SweepRegistration
{
    public static IHostApplicationBuilder AddSweeps(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SweepOptions>().BindConfiguration(SweepOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<SweepLoop>();
        return builder;
    }
}
