using Dms.Adapters.Aws;
using Dms.Adapters.Elasticsearch;
using Dms.Adapters.FileSystem;
using Dms.Adapters.Postgres;
using Dms.Audit;
using Dms.Common;
using Dms.Queue;
using Dms.Search;
using Dms.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dms.Adapters;

/// <summary>Each port's adapter as its <c>Provider</c> setting names it, with the port's settings checked at start-up.</summary>
public static class AdapterRegistration
{
    /// <summary>The blob store of <c>Dms:Storage:Provider</c>: a folder (the default) or S3.</summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<StorageOptions>(StorageOptions.Section)
            .Validate(o => o.Provider != StorageOptions.FileSystemProvider || o.FileSystem.Root.Length > 0,
                "Dms:Storage:FileSystem:Root is required: the folder that holds the documents' bytes.")
            .Validate(o => o.Provider != StorageOptions.FileSystemProvider || o.FileSystem.SigningKey.Length >= 32,
                "Dms:Storage:FileSystem:SigningKey is required: a secret of 32 characters or more.")
            .Validate(o => o.Provider != StorageOptions.S3Provider || o.S3.Bucket.Length > 0, "Dms:Storage:S3:Bucket is required with the S3 provider.")
            .Validate(o => o.S3.PartSizeBytes >= 5L << 20, "Dms:Storage:S3:PartSizeBytes must be at least 5 MiB (5242880), as S3 requires.")
            .Validate(o => o.S3.MultipartThresholdBytes >= o.S3.PartSizeBytes, "Dms:Storage:S3:MultipartThresholdBytes must not be below Dms:Storage:S3:PartSizeBytes.");
        if (builder.Configuration[$"{StorageOptions.Section}:Provider"] == StorageOptions.S3Provider)
        {
            builder.Services.AddSingleton(services => S3BlobStore.CreateClient(services.GetRequiredService<IOptions<StorageOptions>>().Value.S3));
            builder.Services.AddSingleton<IBlobStore, S3BlobStore>();
            return builder;
        }

        builder.Services.AddSingleton<UploadUrlSigner>();
        builder.Services.AddSingleton<FileSystemBlobStore>();
        builder.Services.AddSingleton<IBlobStore>(services => services.GetRequiredService<FileSystemBlobStore>());
        return builder;
    }

    /// <summary>
    /// The audit archive the worker copies the sealed chains to (<see cref="AuditArchiver"/>): an S3 bucket
    /// (<c>Dms:Audit:ArchiveBucket</c>, reached as <c>Dms:Storage:S3</c> says), a folder (<c>Dms:Audit:ArchiveFolder</c>),
    /// or none.
    /// </summary>
    public static IHostApplicationBuilder AddAuditArchive(this IHostApplicationBuilder builder)
    {
        var audit = builder.Configuration.GetSection(AuditOptions.Section);
        if (audit["ArchiveBucket"] is { Length: > 0 })
        {
            builder.Services.AddSingleton<IAuditArchive>(services => new S3AuditArchive(
                S3BlobStore.CreateClient(services.GetRequiredService<IOptions<StorageOptions>>().Value.S3), services.GetRequiredService<IOptions<AuditOptions>>()));
        }
        else if (audit["ArchiveFolder"] is { Length: > 0 })
        {
            builder.Services.AddSingleton<IAuditArchive, FolderAuditArchive>();
        }
        else
        {
            return builder;
        }

        builder.Services.AddScoped<AuditArchiver>();
        return builder;
    }

    /// <summary>The processing queue of <c>Dms:Queue:Provider</c>: PostgreSQL's jobs table (the default) or SQS.</summary>
    public static IHostApplicationBuilder AddJobQueue(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<QueueOptions>(QueueOptions.Section);
        builder.Services.AddSingleton<JobNotifications>();
        if (IsSqs(builder))
        {
            builder.Services.AddSingleton(services => SqsJobQueue.CreateClient(services.GetRequiredService<IOptions<QueueOptions>>().Value.Sqs));
            builder.Services.AddSingleton<OutboxBacklog>();
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

    /// <summary>The search index of <c>Dms:Search:Provider</c> (PostgreSQL full-text search, the default, or Elasticsearch) and the search use cases.</summary>
    public static IHostApplicationBuilder AddSearch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<SearchOptions>(SearchOptions.Section);
        if (builder.Configuration.GetSection(SearchOptions.Section).GetValue<SearchProvider?>(nameof(SearchOptions.Provider)) is SearchProvider.Elasticsearch)
        {
            builder.Services.AddSingleton(services => ElasticsearchSearchIndex.CreateClient(services.GetRequiredService<IOptions<SearchOptions>>().Value.Elasticsearch));
            builder.Services.AddScoped<ISearchIndex, ElasticsearchSearchIndex>();
        }
        else
        {
            builder.Services.AddScoped<ISearchIndex, PostgresSearchIndex>();
        }

        builder.Services.AddScoped<SearchFilters>();
        builder.Services.AddScoped<SearchService>();
        builder.Services.AddScoped<SearchReindexer>();
        return builder;
    }

    private static bool IsSqs(IHostApplicationBuilder builder) =>
        builder.Configuration.GetSection(QueueOptions.Section).GetValue<QueueProvider?>(nameof(QueueOptions.Provider)) is QueueProvider.Sqs;
}
