using System.ComponentModel.DataAnnotations;

namespace Dms.Storage;

/// <summary>Where document bytes live, bound from <c>Dms:Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Dms:Storage";

    public const string FileSystemProvider = "FileSystem";
    public const string S3Provider = "S3";

    [RegularExpression("^(FileSystem|S3)$", ErrorMessage = "Dms:Storage:Provider must be FileSystem or S3.")]
    public string Provider { get; set; } = FileSystemProvider;

    public FileSystemStorageOptions FileSystem { get; set; } = new();

    public S3StorageOptions S3 { get; set; } = new();
}

/// <summary>The S3 bucket (or an S3-compatible service at <see cref="ServiceUrl"/>); credentials come from the SDK's chain.</summary>
public sealed class S3StorageOptions
{
    public string Bucket { get; set; } = "";

    public string Region { get; set; } = "us-east-1";

    /// <summary>An S3-compatible endpoint instead of AWS (a local stand-in): requests then use path-style addressing.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Files larger than this are uploaded in parts (a single S3 PUT takes at most 5 GiB).</summary>
    public long MultipartThresholdBytes { get; set; } = 100L << 20;

    /// <summary>The size of each part but the last: S3 wants at least 5 MiB, and at most 10,000 parts.</summary>
    public long PartSizeBytes { get; set; } = 64L << 20;

    /// <summary>
    /// The bucket has Object Lock (the AWS template's does): a legal hold is then set on each held version's object.
    /// Off for a stand-in without it, which would take the hold's request for an upload.
    /// </summary>
    public bool ObjectLock { get; set; }
}

public sealed class FileSystemStorageOptions
{
    /// <summary>The folder that holds every tenant's objects.</summary>
    public string Root { get; set; } = "";

    /// <summary>The secret (32 characters or more) that signs upload URLs; api processes sharing a folder share it.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>
    /// The web app's origins (<c>http://localhost:5300</c>): its pages send a file's bytes from the browser straight
    /// to the upload URLs, which CORS allows for these origins only. (The S3 bucket's CORS rules do the same in AWS.)
    /// </summary>
    public string[] BrowserOrigins { get; set; } = [];
}
