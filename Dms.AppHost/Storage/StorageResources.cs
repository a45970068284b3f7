using Aspire.Hosting.ApplicationModel;

namespace Dms.AppHost.Storage;

/// <summary>The embedded object store: a folder in the state directory and the key that signs its upload URLs.</summary>
public sealed record BlobFolder(string Root, IResourceBuilder<ParameterResource> SigningKey);

public static class StorageResources
{
    public static BlobFolder AddBlobFolder(this IDistributedApplicationBuilder builder)
    {
        var state = StateFolder.Of(builder.Configuration, builder.AppHostDirectory);
        var root = Path.Combine(state, "blobs");
        Directory.CreateDirectory(root);
        var key = builder.AddParameter("storage-signing-key", LocalSecrets.ReadOrCreate(state, "storage-signing-key"), secret: true);
        return new BlobFolder(root, key);
    }

    public static IResourceBuilder<ProjectResource> WithBlobFolder(this IResourceBuilder<ProjectResource> project, BlobFolder folder) =>
        project
            .WithEnvironment("Dms__Storage__Provider", "FileSystem")
            .WithEnvironment("Dms__Storage__FileSystem__Root", folder.Root)
            .WithEnvironment("Dms__Storage__FileSystem__SigningKey", folder.SigningKey);
}
