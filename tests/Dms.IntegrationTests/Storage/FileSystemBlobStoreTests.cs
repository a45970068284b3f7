using System.Web;
using Dms.Adapters.FileSystem;
using Dms.IntegrationTests.Fixtures;
using Dms.Storage;
using Microsoft.Extensions.Options;

namespace Dms.IntegrationTests.Storage;

/// <summary>The blob store contract on the file store, in a temporary folder.</summary>
public sealed class FileSystemBlobStoreTests : BlobStoreContract, IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("dms-test-store-");
    private readonly FileSystemBlobStore _store;

    public FileSystemBlobStoreTests()
    {
        var options = Options.Create(new StorageOptions { FileSystem = { Root = _root.FullName, SigningKey = new string('s', 32) } });
        _store = new FileSystemBlobStore(options, new UploadUrlSigner(options), TimeProvider.System, new TestUploadAddress());
    }

    protected override IBlobStore Store => _store;

    protected override bool ReportsChecksum => true;

    protected override long? MultipartThresholdBytes => null;

    /// <summary>What the API's upload endpoint does with a PUT to the instruction's URL.</summary>
    protected override async Task<IReadOnlyList<CompletedPart>?> UploadAsync(UploadInstruction instruction, string key, byte[] bytes)
    {
        var url = new Uri(instruction.Url!);
        var query = HttpUtility.ParseQueryString(url.Query);
        var received = await _store.ReceiveAsync(
            TestUploadAddress.KeyOf(url), long.Parse(query["size"]!), query["sha256"],
            long.Parse(query["expires"]!), query["signature"]!, bytes.Length, new MemoryStream(bytes), CancellationToken.None);
        return received.Error is null ? [] : null;
    }

    protected override async Task<byte[]> ReadAsync(BlobDownload download)
    {
        await using var stream = Assert.IsType<BlobStream>(download).Content;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    public void Dispose() => _root.Delete(recursive: true);
}
