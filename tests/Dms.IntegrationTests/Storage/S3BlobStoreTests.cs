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

    /// <summary>fauxqs has no Object Lock and takes a legal hold's PUT for an upload: with the option off, nothing is sent.</summary>
    [Fact]
    public async Task Without_object_lock_a_legal_hold_leaves_the_object_as_it_was()
    {
        var key = BlobKeys.ForVersion(Guid.NewGuid(), Guid.NewGuid(), 1);
        await _s3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = "the document's bytes" }, TestContext.Current.CancellationToken);

        await _store.SetLegalHoldAsync(key, null, on: true, TestContext.Current.CancellationToken);

        await using var read = await _store.OpenReadAsync(key, null, TestContext.Current.CancellationToken);
        Assert.Equal("the document's bytes", await new StreamReader(read).ReadToEndAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The audit archive's S3 adapter writes its file whole. (fauxqs has no Object Lock: what compliance mode refuses is S3's to prove.)</summary>
    [Fact]
    public async Task The_audit_archive_writes_its_file_to_the_bucket()
    {
        var archive = new S3AuditArchive(_s3, Options.Create(new Dms.Audit.AuditOptions { ArchiveBucket = _bucket }));
        var key = $"audit/{Guid.NewGuid()}/2026-12-07-links-000000000001-000000000002.ndjson";

        await archive.WriteAsync(key, new MemoryStream("{\"position\":1}\n{\"position\":2}\n"u8.ToArray()), TestContext.Current.CancellationToken);

        using var read = await _s3.GetObjectAsync(_bucket, key, TestContext.Current.CancellationToken);
        Assert.Equal("{\"position\":1}\n{\"position\":2}\n", await new StreamReader(read.ResponseStream).ReadToEndAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// With Object Lock, the SDK's PutObjectLegalHold for exactly the version: a loopback listener plays S3 and keeps
    /// what it was sent. Not proven here (no S3 with Object Lock runs on this machine): that S3 then refuses to delete
    /// the version; the folder store's refusal is what the holds' tests prove end to end.
    /// </summary>
    [Fact]
    public async Task With_object_lock_a_legal_hold_is_set_and_cleared_on_the_exact_version()
    {
        var port = LoopbackPort.Free();
        using var listener = new System.Net.HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var settings = new S3StorageOptions { Bucket = "held-bucket", ServiceUrl = $"http://127.0.0.1:{port}", ObjectLock = true };
        using var s3 = S3BlobStore.CreateClient(settings);
        var store = new S3BlobStore(s3, Options.Create(new StorageOptions { Provider = StorageOptions.S3Provider, S3 = settings }));
        var key = BlobKeys.ForVersion(Guid.NewGuid(), Guid.NewGuid(), 2);

        foreach (var (on, status) in new[] { (true, "ON"), (false, "OFF") })
        {
            var setting = store.SetLegalHoldAsync(key, "3HL4kqtJlcpXroDTDmJ", on, TestContext.Current.CancellationToken);
            var context = await listener.GetContextAsync().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            var body = await new StreamReader(context.Request.InputStream).ReadToEndAsync(TestContext.Current.CancellationToken);
            context.Response.StatusCode = 200;
            context.Response.Close();
            await setting;

            Assert.Equal("PUT", context.Request.HttpMethod);
            Assert.Equal($"/held-bucket/{key}", context.Request.Url!.AbsolutePath);
            Assert.Contains("legal-hold", context.Request.Url.Query);
            Assert.Equal("3HL4kqtJlcpXroDTDmJ", context.Request.QueryString["versionId"]);
            Assert.Contains($"<Status>{status}</Status>", body);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _s3.Dispose();
    }
}
