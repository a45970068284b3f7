namespace Dms.Worker.Processing;

public static class ProcessingRegistration
{
    public static IHostApplicationBuilder AddProcessing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProcessingOptions>()
            .BindConfiguration(ProcessingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ProcessingHeartbeat>();
        builder.Services.AddHostedService<ProcessingLoop>();
        builder.Services.AddHealthChecks().AddCheck<ProcessingLoopHealthCheck>("processing-loop");
        return builder;
    }
}
