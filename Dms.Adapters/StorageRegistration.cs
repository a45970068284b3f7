using Dms.Adapters.Aws;
using Dms.Adapters.FileSystem;
using Dms.Common;
using Dms.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Dms.Adapters;

public static class StorageRegistration
{
    /// <summary>The blob store that <c>Dms:Storage:Provider</c> names, with its settings checked at start-up.</summary>
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
}
