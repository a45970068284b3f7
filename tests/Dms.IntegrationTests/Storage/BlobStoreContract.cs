using System.Security.Cryptography;
using Dms.Storage;

namespace Dms.IntegrationTests.Storage;

/// <summary>
/// What every blob store must do, whatever is behind it: the same tests run against the file store and against S3.
/// Each adapter says how a client follows its upload instruction and reads a download.
/// </summary>
public abstract class BlobStoreContract
{
    private readonly Guid _tenant = Guid.NewGuid();

    protected abstract IBlobStore Store { get; }

    /// <summary>
    /// Sends <paramref name="bytes"/> the way the instruction says, as a client would: null when refused, else the
    /// parts storage acknowledged (none for a single request).
    /// </summary>
    protected abstract Task<IReadOnlyList<CompletedPart>?> UploadAsync(UploadInstruction instruction, string key, byte[] bytes);

    /// <summary>Prepares an upload, follows its instruction and finishes it (multipart) as the API's complete does.</summary>
    private async Task<bool> PutAsync(string key, byte[] bytes, string contentType = "text/plain", string? sha256 = null)
    {
        var prepared = await Store.PrepareUploadAsync(key, bytes.Length, contentType, sha256, DateTimeOffset.UtcNow.AddMinutes(5), CancellationToken.None);
        return await UploadAsync(prepared.Instruction, key, bytes) is { } parts
            && (prepared.UploadId is null || await Store.FinishUploadAsync(key, prepared.UploadId, parts, CancellationToken.None));
    }

    /// <summary>The size above which this store (as configured here) splits an upload into parts; null if it never does.</summary>
    protected abstract long? MultipartThresholdBytes { get; }

    protected abstract Task<byte[]> ReadAsync(BlobDownload download);

    /// <summary>Whether this store (as tested here) reports an object's SHA-256 back.</summary>
    protected abstract bool ReportsChecksum { get; }

    [Fact]
    public async Task An_uploaded_object_is_found_with_its_size_and_checksum_and_reads_back_the_same()
    {
        var (key, bytes) = NewObject();

        Assert.True(await PutAsync(key, bytes, "application/pdf", Sha256(bytes)));
        var stored = await Store.GetAsync(key, TestContext.Current.CancellationToken);
        var download = await Store.OpenDownloadAsync(key, null, "report.pdf", "application/pdf", DateTimeOffset.UtcNow.AddMinutes(5), TestContext.Current.CancellationToken);

        Assert.NotNull(stored);
        Assert.Equal(bytes.Length, stored.SizeBytes);
        Assert.Equal(ReportsChecksum ? Sha256(bytes) : null, stored.Sha256);
        Assert.Equal(bytes, await ReadAsync(download));
    }

    [Fact]
    public async Task The_worker_reads_back_the_bytes_that_were_uploaded()
    {
        var (key, bytes) = NewObject();
        Assert.True(await PutAsync(key, bytes));

        await using var content = await Store.OpenReadAsync(key, null, TestContext.Current.CancellationToken);
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, TestContext.Current.CancellationToken);

        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task An_upload_without_a_declared_checksum_is_found_with_its_size()
    {
        var (key, bytes) = NewObject();

        Assert.True(await PutAsync(key, bytes));

        Assert.Equal(bytes.Length, (await Store.GetAsync(key, TestContext.Current.CancellationToken))?.SizeBytes);
    }

    [Fact]
    public async Task A_large_upload_is_sent_in_parts_where_the_store_wants_them_and_reads_back_the_same()
    {
        var key = BlobKeys.ForVersion(_tenant, Guid.NewGuid(), 1);
        var bytes = RandomNumberGenerator.GetBytes(12 * 1024 * 1024 + 3);

        var prepared = await Store.PrepareUploadAsync(key, bytes.Length, "application/pdf", null, DateTimeOffset.UtcNow.AddMinutes(5), TestContext.Current.CancellationToken);
        var parts = await UploadAsync(prepared.Instruction, key, bytes);
        Assert.NotNull(parts);
        Assert.True(prepared.UploadId is null || await Store.FinishUploadAsync(key, prepared.UploadId, parts, TestContext.Current.CancellationToken));
        var download = await Store.OpenDownloadAsync(key, null, "big.pdf", "application/pdf", DateTimeOffset.UtcNow.AddMinutes(5), TestContext.Current.CancellationToken);

        Assert.Equal(bytes.Length > MultipartThresholdBytes, prepared.Instruction.Parts is { Count: > 1 });
        Assert.Equal(bytes, await ReadAsync(download));
    }

    [Fact]
    public async Task Nothing_uploaded_is_not_found()
    {
        var (key, _) = NewObject();

        Assert.Null(await Store.GetAsync(key, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_upload_instruction_says_how_and_until_when()
    {
        var (key, bytes) = NewObject();
        var expires = DateTimeOffset.UtcNow.AddMinutes(5);

        var instruction = (await Store.PrepareUploadAsync(key, bytes.Length, "application/pdf", null, expires, TestContext.Current.CancellationToken)).Instruction;

        Assert.Equal("PUT", instruction.Method);
        Assert.Equal(expires, instruction.ExpiresAt);
        Assert.Equal("application/pdf", instruction.Headers["Content-Type"]);
    }

    [Fact]
    public async Task Deleting_a_documents_prefix_removes_its_versions_and_nothing_else()
    {
        var document = Guid.NewGuid();
        var other = Guid.NewGuid();
        var keys = new[] { BlobKeys.ForVersion(_tenant, document, 1), BlobKeys.ForVersion(_tenant, document, 2), BlobKeys.ForVersion(_tenant, other, 1) };
        foreach (var key in keys)
        {
            Assert.True(await PutAsync(key, RandomNumberGenerator.GetBytes(100)));
        }

        await Store.DeletePrefixAsync(BlobKeys.DocumentPrefix(_tenant, document), TestContext.Current.CancellationToken);

        Assert.Null(await Store.GetAsync(keys[0], TestContext.Current.CancellationToken));
        Assert.Null(await Store.GetAsync(keys[1], TestContext.Current.CancellationToken));
        Assert.NotNull(await Store.GetAsync(keys[2], TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_preview_is_stored_beside_its_version_replaced_by_a_second_one_and_removed_with_the_document()
    {
        var document = Guid.NewGuid();
        var thumbnail = BlobKeys.ForPreview(_tenant, document, 1, 0);
        var page = BlobKeys.ForPreview(_tenant, document, 1, 3);
        var (first, second) = (RandomNumberGenerator.GetBytes(300), RandomNumberGenerator.GetBytes(200));
        var cancellation = TestContext.Current.CancellationToken;

        await Store.PutAsync(thumbnail, new MemoryStream(first), "image/png", cancellation);
        await Store.PutAsync(thumbnail, new MemoryStream(second), "image/png", cancellation);
        await Store.PutAsync(page, new MemoryStream(first), "image/png", cancellation);
        await using (var read = await Store.OpenReadAsync(thumbnail, null, cancellation))
        {
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy, cancellation);
            Assert.Equal(second, copy.ToArray());
        }

        Assert.Equal(first.Length, (await Store.GetAsync(page, cancellation))?.SizeBytes);
        await Store.DeletePrefixAsync(BlobKeys.DocumentPrefix(_tenant, document), cancellation);
        Assert.Null(await Store.GetAsync(thumbnail, cancellation));
        Assert.Null(await Store.GetAsync(page, cancellation));
    }

    private (string Key, byte[] Bytes) NewObject() =>
        (BlobKeys.ForVersion(_tenant, Guid.NewGuid(), 1), RandomNumberGenerator.GetBytes(64 * 1024 + 17));

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
