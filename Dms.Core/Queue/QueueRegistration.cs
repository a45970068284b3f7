using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dms.Queue;

public static class QueueRegistration
{
    /// <summary>The processing queue chosen by <c>Dms:Queue:Provider</c>.</summary>
    public static IHostApplicationBuilder AddJobQueue(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<QueueOptions>()
            .BindConfiguration(QueueOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var provider = builder.Configuration.GetSection(QueueOptions.Section).GetValue<QueueProvider?>(nameof(QueueOptions.Provider));
        if (provider is QueueProvider.Sqs)
        {
            throw new NotSupportedException("Dms:Queue:Provider Sqs is not built yet.");
        }

        builder.Services.AddSingleton<IJobQueue, PostgresJobQueue>();
        return builder;
    }
}
