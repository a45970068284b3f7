using Amazon.S3;
using Dms.Adapters.Aws;
using Dms.Storage;
using Dms.TestSupport;
using Microsoft.Extensions.Options;

namespace Dms.IntegrationTests.Storage;

[CollectionDefinition(Name)]
public sealed class FauxqsCollection : ICollectionFixture<Fauxqs>
{
    public const string Name = "fauxqs";
}

/// <summary>
/// The blob store contract on the S3 adapter, against fauxqs on 127.0.0.1 with the real AWS SDK and real pre-signed
/// URLs. Not proven here, because fauxqs does not check them: that S3 refuses a bad signature, an expired URL or a
/// body whose SHA-256 differs from the signed one, and bucket versioning.
/// </summary>
[Collection(FauxqsCollection.Name)]
public sealed class S3BlobStoreTests : BlobStoreContract, IAsyncLifetime, IDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly S3BlobStore _store;
    private readonly HttpClient _http = new();
    private readonly string _bucket = $"dms-test-{Guid.NewGuid():N}";

    public S3BlobStoreTests(Fauxqs fauxqs)
    {
        // Small parts, so the multipart path runs on a 12 MiB file (fauxqs takes at most 11 MiB in one request).
        var settings = new S3StorageOptions { Bucket = _bucket, ServiceUrl = fauxqs.ServiceUrl, MultipartThresholdBytes = 6L << 20, PartSizeBytes = 5L << 20 };
        _s3 = S3BlobStore.CreateClient(settings);
        _store = new S3BlobStore(_s3, Options.Create(new StorageOptions { Provider = StorageOptions.S3Provider, S3 = settings }));
    }

    protected override IBlobStore Store => _store;

    /// <summary>S3 returns the signed x-amz-checksum-sha256 on HEAD; fauxqs does not, so here it is not asked for.</summary>
    protected override bool ReportsChecksum => false;

    protected override long? MultipartThresholdBytes => 6L << 20;

    public async ValueTask InitializeAsync() => await _s3.PutBucketAsync(_bucket);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// A client's PUT to the pre-signed URL with the headers the instruction names (they are signed), or one PUT per
    /// part of a large file.
    /// </summary>
    protected override async Task<IReadOnlyList<CompletedPart>?> UploadAsync(UploadInstruction instruction, string key, byte[] bytes)
    {
        if (instruction.Parts is { } parts)
        {
            var completed = new List<CompletedPart>();
            foreach (var part in parts)
            {
                using var content = new ByteArrayContent(bytes, (int)part.Offset, (int)part.SizeBytes);
                using var sent = await _http.PutAsync(part.Url, content);
                if (!sent.IsSuccessStatusCode || sent.Headers.ETag is null)
                {
                    return null;
                }

                completed.Add(new CompletedPart(part.PartNumber, sent.Headers.ETag.Tag));
            }

            return completed;
        }

        using var request = new HttpRequestMessage(new HttpMethod(instruction.Method), instruction.Url) { Content = new ByteArrayContent(bytes) };
        foreach (var (name, value) in instruction.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await _http.SendAsync(request);
        return response.IsSuccessStatusCode ? [] : null;
    }

    protected override async Task<byte[]> ReadAsync(BlobDownload download) =>
        await _http.GetByteArrayAsync(Assert.IsType<BlobRedirect>(download).Url);

    public void Dispose()
    {
        _http.Dispose();
        _s3.Dispose();
    }
}
