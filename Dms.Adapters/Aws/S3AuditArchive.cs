using Amazon.S3;
using Amazon.S3.Model;
using Dms.Audit;
using Microsoft.Extensions.Options;

namespace Dms.Adapters.Aws;

/// <summary>
/// The audit archive in an S3 bucket (<c>Dms:Audit:ArchiveBucket</c>). The AWS template's bucket has Object Lock in
/// compliance mode by default: each file is kept, unchanged, for the bucket's retention, and not even the account's
/// root user can delete it sooner. A key already there is refused (<c>If-None-Match: *</c>), never overwritten.
/// </summary>
public sealed class S3AuditArchive(IAmazonS3 s3, IOptions<AuditOptions> options) : IAuditArchive
{
    public async Task WriteAsync(string key, Stream content, CancellationToken cancellationToken) =>
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = options.Value.ArchiveBucket,
            Key = key,
            InputStream = content,
            AutoCloseStream = false,
            ContentType = "application/x-ndjson",
            IfNoneMatch = "*",
            // A bucket with a default retention takes no upload without a checksum.
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
        }, cancellationToken);
}
