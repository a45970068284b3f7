using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dms.Storage;

public static class StorageRegistration
{
    /// <summary>The blob store that <c>Dms:Storage:Provider</c> names, with its settings checked at start-up.</summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.FileSystem.Root.Length > 0, "Dms:Storage:FileSystem:Root is required: the folder that holds the documents' bytes.")
            .Validate(o => o.FileSystem.SigningKey.Length >= 32, "Dms:Storage:FileSystem:SigningKey is required: a secret of 32 characters or more.")
            .ValidateOnStart();
        builder.Services.AddSingleton<UploadUrlSigner>();
        builder.Services.AddSingleton<FileSystemBlobStore>();
        builder.Services.AddSingleton<IBlobStore>(services => services.GetRequiredService<FileSystemBlobStore>());
        return builder;
    }
}
