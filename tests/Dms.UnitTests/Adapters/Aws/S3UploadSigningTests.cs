using System.Web;
using Amazon.Runtime;
using Amazon.S3;
using Dms.Adapters.Aws;
using Dms.Storage;
using Microsoft.Extensions.Options;

namespace Dms.UnitTests.Adapters.Aws;

/// <summary>
/// What a pre-signed upload URL binds, read from the URL itself (signing needs no network). What this cannot prove:
/// that S3 then refuses a request without those headers; that is S3's side of SigV4 and its conditional writes, and
/// the local S3 stand-in checks neither.
/// </summary>
public sealed class S3UploadSigningTests
{
    private static readonly StorageOptions Options = new()
    {
        S3 = new S3StorageOptions { Bucket = "documents", ServiceUrl = "http://127.0.0.1:9", MultipartThresholdBytes = 100 << 20 },
    };

    [Fact]
    public async Task A_single_upload_url_signs_its_size_and_that_the_key_must_still_be_empty()
    {
        using var s3 = new AmazonS3Client(new BasicAWSCredentials("key", "secret"), new AmazonS3Config { ServiceURL = "http://127.0.0.1:9", ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        var store = new S3BlobStore(s3, Microsoft.Extensions.Options.Options.Create(Options));

        var prepared = await store.PrepareUploadAsync("t/documents/d/v1/content", 1234, "application/pdf", null, DateTimeOffset.UtcNow.AddMinutes(5), TestContext.Current.CancellationToken);

        var signed = HttpUtility.ParseQueryString(new Uri(prepared.Instruction.Url!).Query)["X-Amz-SignedHeaders"]!.Split(';');
        Assert.Contains("content-length", signed);
        Assert.Contains("if-none-match", signed);
        Assert.Equal("1234", prepared.Instruction.Headers["Content-Length"]);
        Assert.Equal("*", prepared.Instruction.Headers["If-None-Match"]);
    }
}
