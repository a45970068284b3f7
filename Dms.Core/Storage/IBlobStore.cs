namespace Dms.Storage;

/// <summary>How a client sends a version's bytes straight to storage: never through an API buffer.</summary>
public sealed record UploadInstruction(string Url, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt);

/// <summary>What the store holds under a key.</summary>
public sealed record StoredBlob(long SizeBytes, string? Sha256);

/// <summary>How a client gets a version's bytes: a redirect to storage, or a stream the API serves.</summary>
public abstract record BlobDownload;

public sealed record BlobRedirect(Uri Url) : BlobDownload;

public sealed record BlobStream(Stream Content) : BlobDownload;

/// <summary>The object store port: a folder on this machine, or S3.</summary>
public interface IBlobStore
{
    /// <summary>A short-lived, signed instruction to upload exactly <paramref name="sizeBytes"/> bytes to <paramref name="key"/>.</summary>
    UploadInstruction CreateUpload(string key, long sizeBytes, string contentType, string? sha256, DateTimeOffset expiresAt);

    /// <summary>The object under <paramref name="key"/>, or null when nothing was uploaded there.</summary>
    Task<StoredBlob?> GetAsync(string key, CancellationToken cancellationToken);

    Task<BlobDownload> OpenDownloadAsync(string key, string fileName, string contentType, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Removes every object whose key starts with <paramref name="prefix"/>.</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken);
}
