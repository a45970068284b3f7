using Amazon.SQS;
using Dms.Adapters.Aws;
using Dms.Adapters.Postgres;
using Dms.Common;
using Dms.Queue;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dms.Adapters;

public static class QueueRegistration
{
    /// <summary>The processing queue chosen by <c>Dms:Queue:Provider</c>, with its settings checked at start-up.</summary>
    public static IHostApplicationBuilder AddJobQueue(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<QueueOptions>(QueueOptions.Section);
        builder.Services.AddSingleton<JobNotifications>();
        if (IsSqs(builder))
        {
            builder.Services.AddSingleton(services => SqsJobQueue.CreateClient(services.GetRequiredService<IOptions<QueueOptions>>().Value.Sqs));
            builder.Services.AddSingleton<IJobQueue, SqsJobQueue>();
        }
        else
        {
            builder.Services.AddSingleton<IJobQueue, PostgresJobQueue>();
        }

        return builder;
    }

    /// <summary>With SQS, the relay that moves jobs from the outbox table to the queue (the worker runs it).</summary>
    public static IHostApplicationBuilder AddOutboxRelay(this IHostApplicationBuilder builder)
    {
        if (IsSqs(builder))
        {
            builder.Services.AddHostedService<OutboxRelay>();
        }

        return builder;
    }

    private static bool IsSqs(IHostApplicationBuilder builder) =>
        builder.Configuration.GetSection(QueueOptions.Section).GetValue<QueueProvider?>(nameof(QueueOptions.Provider)) is QueueProvider.Sqs;
}
