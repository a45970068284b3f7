using Aspire.Hosting.ApplicationModel;
using Dms.AppHost.Aws;

namespace Dms.AppHost.Storage;

/// <summary>Where documents' bytes go and how their processing jobs reach the worker.</summary>
public abstract record DocumentStorage;

/// <summary>The embedded object store, a folder in the state directory and the key that signs its upload URLs; jobs go through PostgreSQL.</summary>
public sealed record BlobFolder(string Root, IResourceBuilder<ParameterResource> SigningKey) : DocumentStorage;

/// <summary>
/// AWS's own services, named by the AppHost's settings as the ECS tasks get them (the stack's outputs): the bucket
/// (<c>Dms:Storage</c>), the queues (<c>Dms:Queue</c>), Elasticsearch (<c>Dms:Search</c>) and where the database
/// password is kept (<c>Dms:Database</c>).
/// </summary>
public sealed record AwsServices : DocumentStorage;

public static class StorageResources
{
    private static readonly string[] AwsSections = ["Dms:Storage", "Dms:Queue", "Dms:Search", "Dms:Database"];

    public static DocumentStorage AddDocumentStorage(this IDistributedApplicationBuilder builder, DeploymentProfile profile) =>
        profile switch
        {
            DeploymentProfile.Embedded => builder.AddBlobFolder(),
            DeploymentProfile.LocalAws => builder.AddFauxqs(),
            _ => new AwsServices(),
        };

    public static IResourceBuilder<ProjectResource> WithDocumentStorage(this IResourceBuilder<ProjectResource> project, DocumentStorage storage) =>
        storage switch
        {
            BlobFolder folder => project
                .WithEnvironment("Dms__Storage__Provider", "FileSystem")
                .WithEnvironment("Dms__Storage__FileSystem__Root", folder.Root)
                .WithEnvironment("Dms__Storage__FileSystem__SigningKey", folder.SigningKey)
                // The worker's daily copies of the audit chains, beside the blobs in the state folder.
                .WithEnvironment("Dms__Audit__ArchiveFolder", Path.Combine(Path.GetDirectoryName(folder.Root)!, "audit-archive")),
            LocalAwsStorage local => project.WithFauxqs(local),
            AwsServices => project.WithSettingsOf(AwsSections),
            _ => throw new InvalidOperationException($"Unknown document storage {storage}."),
        };

    /// <summary>
    /// The web app's pages upload from the browser straight to storage: the folder's upload URLs, served by the api,
    /// allow the web app's origin, and the web app's pages may send to the api's (their Content-Security-Policy). At
    /// fauxqs, the pages may send to it (fauxqs itself has no CORS: README). (In AWS the bucket's CORS rules and the web
    /// task's settings, in the template, do this.)
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithUploadsFromPagesOf(
        this IResourceBuilder<ProjectResource> api, DocumentStorage storage, IResourceBuilder<ProjectResource> web)
    {
        switch (storage)
        {
            case BlobFolder:
                api.WithEnvironment("Dms__Storage__FileSystem__BrowserOrigins__0", web.GetEndpoint("http"))
                    // The same page opened by the loopback address rather than by name is another origin to the browser.
                    .WithEnvironment("Dms__Storage__FileSystem__BrowserOrigins__1",
                        ReferenceExpression.Create($"http://127.0.0.1:{web.GetEndpoint("http").Property(EndpointProperty.Port)}"));
                web.WithEnvironment("Dms__Web__UploadOrigins__0", api.GetEndpoint("http"));
                break;
            case LocalAwsStorage local:
                web.WithEnvironment("Dms__Web__UploadOrigins__0", local.Resource.GetEndpoint(FauxqsResources.EndpointName));
                break;
        }

        return api;
    }

    private static BlobFolder AddBlobFolder(this IDistributedApplicationBuilder builder)
    {
        var state = StateFolder.Of(builder.Configuration, builder.AppHostDirectory);
        var root = Path.Combine(state, "blobs");
        // Every tenant's bytes: no other user of the machine may enter. (Published, the folder is only named.)
        if (builder.ExecutionContext.IsRunMode)
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(root);
            }
            else
            {
                Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var key = LocalSecrets.Parameter(builder, state, "storage-signing-key", "storage-signing-key");
        return new BlobFolder(root, key);
    }
}
