using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;

namespace Dms.IntegrationTests.Security;

/// <summary>
/// On a machine other users share, a tenant's stored bytes are readable by the service's user only. (Backups: the
/// runbook's end-to-end test checks the backup folder the same way.)
/// </summary>
[Collection(PostgresCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SharedHostTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private ApiScenario _scenario = null!;

    public async ValueTask InitializeAsync() => _scenario = await ApiScenario.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _scenario.DisposeAsync();

    [Fact]
    public async Task Another_user_of_the_machine_can_read_no_stored_bytes_nor_list_the_folders()
    {
        var bytes = ApiScenario.RandomBytes(1_000);
        var created = await ApiScenario.CreateDocumentAsync(_scenario.EditorA, bytes, "notes.txt", "text/plain");
        await _scenario.UploadAndCompleteAsync(_scenario.EditorA, created, bytes);
        var root = _scenario.Api.BlobRoot;

        var folders = root.EnumerateDirectories("*", SearchOption.AllDirectories).ToList();
        var files = root.EnumerateFiles("*", SearchOption.AllDirectories).ToList();

        Assert.Equal(4, folders.Count); // tenant, documents, document, version
        Assert.Equal(2, files.Count); // the bytes and their checksum
        Assert.All(folders, folder => Assert.Equal(OwnerFolder, folder.UnixFileMode));
        Assert.All(files, file => Assert.Equal(OwnerFile, file.UnixFileMode));
    }
}
