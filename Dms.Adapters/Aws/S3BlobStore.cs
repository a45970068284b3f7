using System.Globalization;
using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Dms.Storage;
using Microsoft.Extensions.Options;

namespace Dms.Adapters.Aws;

/// <summary>
/// The AWS object store: clients PUT to a pre-signed URL and GET through another, so document bytes never pass through
/// the API. A declared SHA-256 is signed into the upload URL, so S3 itself refuses a body that does not match it.
/// </summary>
public sealed class S3BlobStore(IAmazonS3 s3, IOptions<StorageOptions> options) : IBlobStore
{
    private const string ChecksumHeader = "x-amz-checksum-sha256";
    private const string IfNoneMatchHeader = "If-None-Match";

    private S3StorageOptions Settings => options.Value.S3;

    /// <summary>A client for the configured bucket: AWS by default, or an S3-compatible service at its URL.</summary>
    public static IAmazonS3 CreateClient(S3StorageOptions settings)
    {
        var config = new AmazonS3Config
        {
            // Only compute and check checksums where the request asks: S3-compatible services differ in what they send.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (settings.ServiceUrl is { Length: > 0 } serviceUrl)
        {
            config.ServiceURL = serviceUrl;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = settings.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }

        return new AmazonS3Client(config);
    }

    public async Task<PreparedUpload> PrepareUploadAsync(
        string key, long sizeBytes, string contentType, string? sha256, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        if (sizeBytes > Settings.MultipartThresholdBytes)
        {
            return await PrepareMultipartAsync(key, sizeBytes, contentType, expiresAt, cancellationToken);
        }

        var request = Presign(key, HttpVerb.PUT, expiresAt);
        request.ContentType = contentType;
        // Signed, so S3 refuses a PUT without them: exactly the declared size, and only while the key is empty (single use).
        request.Headers.ContentLength = sizeBytes;
        request.Headers[IfNoneMatchHeader] = "*";
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = contentType,
            ["Content-Length"] = sizeBytes.ToString(CultureInfo.InvariantCulture),
            [IfNoneMatchHeader] = "*",
        };
        if (sha256 is not null)
        {
            var checksum = Convert.ToBase64String(Convert.FromHexString(sha256));
            request.Headers[ChecksumHeader] = checksum;
            headers[ChecksumHeader] = checksum;
        }

        return new PreparedUpload(new UploadInstruction(await s3.GetPreSignedURLAsync(request), "PUT", headers, expiresAt), null);
    }

    public async Task<bool> FinishUploadAsync(string key, string uploadId, IReadOnlyList<CompletedPart> parts, CancellationToken cancellationToken)
    {
        try
        {
            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = Settings.Bucket,
                Key = key,
                UploadId = uploadId,
                PartETags = parts.OrderBy(p => p.PartNumber).Select(p => new PartETag(p.PartNumber, p.ETag)).ToList(),
            }, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
        {
            // InvalidPart, InvalidPartOrder, NoSuchUpload: the parts named are not what storage holds.
            return false;
        }
    }

    public async Task AbortUploadAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        try
        {
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Settings.Bucket, Key = key, UploadId = uploadId }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already finished or given up: nothing is left to abort.
        }
    }

    /// <summary>One pre-signed URL per part; <see cref="FinishUploadAsync"/> then assembles the parts the client names.</summary>
    private async Task<PreparedUpload> PrepareMultipartAsync(string key, long sizeBytes, string contentType, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var started = await s3.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = Settings.Bucket, Key = key, ContentType = contentType }, cancellationToken);
        var parts = new List<UploadPart>();
        for (var (offset, number) = (0L, 1); offset < sizeBytes; offset += Settings.PartSizeBytes, number++)
        {
            var partSize = Math.Min(Settings.PartSizeBytes, sizeBytes - offset);
            var request = Presign(key, HttpVerb.PUT, expiresAt);
            request.UploadId = started.UploadId;
            request.PartNumber = number;
            // Signed: S3 takes exactly this part's share of the declared size.
            request.Headers.ContentLength = partSize;
            parts.Add(new UploadPart(number, await s3.GetPreSignedURLAsync(request), offset, partSize));
        }

        return new PreparedUpload(new UploadInstruction(null, "PUT", new Dictionary<string, string>(), expiresAt, parts), started.UploadId);
    }

    public async Task<StoredBlob?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var metadata = await s3.GetObjectMetadataAsync(
                new GetObjectMetadataRequest { BucketName = Settings.Bucket, Key = key, ChecksumMode = ChecksumMode.ENABLED }, cancellationToken);
            var sha256 = string.IsNullOrEmpty(metadata.ChecksumSHA256) ? null : Convert.ToHexStringLower(Convert.FromBase64String(metadata.ChecksumSHA256));
            return new StoredBlob(metadata.ContentLength, sha256, string.IsNullOrEmpty(metadata.VersionId) || metadata.VersionId == "null" ? null : metadata.VersionId);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Stream> OpenReadAsync(string key, string? versionId, CancellationToken cancellationToken)
    {
        var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = Settings.Bucket, Key = key, VersionId = versionId }, cancellationToken);
        return response.ResponseStream;
    }

    public Task<BlobDownload> OpenDownloadAsync(
        string key, string? versionId, string fileName, string contentType, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var request = Presign(key, HttpVerb.GET, expiresAt);
        request.VersionId = versionId;
        request.ResponseHeaderOverrides.ContentType = contentType;
        request.ResponseHeaderOverrides.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = fileName }.ToString();
        return Task.FromResult<BlobDownload>(new BlobRedirect(new Uri(s3.GetPreSignedURL(request))));
    }

    /// <summary>Lists one key: the bucket exists and these credentials may read it.</summary>
    public async Task<string> CheckAsync(CancellationToken cancellationToken)
    {
        await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Settings.Bucket, MaxKeys = 1 }, cancellationToken);
        return $"The bucket {Settings.Bucket} answers.";
    }

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken) =>
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Settings.Bucket, Key = key, InputStream = content, ContentType = contentType, AutoCloseStream = false },
            cancellationToken);

    /// <summary>
    /// The version's legal hold (Object Lock): S3 then refuses to delete that version, to anyone, until it is cleared.
    /// Without <see cref="S3StorageOptions.ObjectLock"/> nothing is sent: a bucket without Object Lock refuses the
    /// request, and a stand-in without it would store the request's body as the object.
    /// </summary>
    public async Task SetLegalHoldAsync(string key, string? versionId, bool on, CancellationToken cancellationToken)
    {
        if (Settings.ObjectLock)
        {
            await s3.PutObjectLegalHoldAsync(new PutObjectLegalHoldRequest
            {
                BucketName = Settings.Bucket,
                Key = key,
                VersionId = versionId,
                LegalHold = new ObjectLockLegalHold { Status = on ? ObjectLockLegalHoldStatus.On : ObjectLockLegalHoldStatus.Off },
            }, cancellationToken);
        }
    }

    /// <summary>
    /// Every object under the prefix, then every version of it, delete markers included: the bucket is versioned, and
    /// a plain delete would leave the bytes as a noncurrent version until the lifecycle rule expires them. (The first
    /// pass is what an unversioned bucket or an S3-compatible store without version listing needs.)
    /// </summary>
    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var current = new ListObjectsV2Request { BucketName = Settings.Bucket, Prefix = prefix };
        ListObjectsV2Response objects;
        do
        {
            objects = await s3.ListObjectsV2Async(current, cancellationToken);
            await DeleteAsync(objects.S3Objects?.Select(o => new KeyVersion { Key = o.Key }), cancellationToken);
            current.ContinuationToken = objects.NextContinuationToken;
        }
        while (objects.IsTruncated == true);

        var listing = new ListVersionsRequest { BucketName = Settings.Bucket, Prefix = prefix };
        ListVersionsResponse page;
        do
        {
            page = await s3.ListVersionsAsync(listing, cancellationToken);
            await DeleteAsync(page.Versions?.Select(v => new KeyVersion { Key = v.Key, VersionId = v.VersionId }), cancellationToken);
            listing.KeyMarker = page.NextKeyMarker;
            listing.VersionIdMarker = page.NextVersionIdMarker;
        }
        while (page.IsTruncated == true);
    }

    private async Task DeleteAsync(IEnumerable<KeyVersion>? keys, CancellationToken cancellationToken)
    {
        if (keys?.ToList() is { Count: > 0 } list)
        {
            await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = Settings.Bucket, Objects = list }, cancellationToken);
        }
    }

    private GetPreSignedUrlRequest Presign(string key, HttpVerb verb, DateTimeOffset expiresAt) => new()
    {
        BucketName = Settings.Bucket,
        Key = key,
        Verb = verb,
        Expires = expiresAt.UtcDateTime,
        // A local S3-compatible service speaks plain HTTP; the SDK would otherwise sign https URLs.
        Protocol = Settings.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
    };
}
