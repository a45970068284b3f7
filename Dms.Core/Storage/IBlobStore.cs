namespace Dms.Storage;

/// <summary>
/// How a client sends a version's bytes straight to storage, never through an API buffer: one request to
/// <see cref="Url"/>, or, for a large file, one request per part (then <see cref="Url"/> is null).
/// </summary>
public sealed record UploadInstruction(
    string? Url, string Method, IReadOnlyDictionary<string, string> Headers, DateTimeOffset ExpiresAt, IReadOnlyList<UploadPart>? Parts = null);

/// <summary>One part of a large upload: the bytes from <see cref="Offset"/>, <see cref="SizeBytes"/> long.</summary>
public sealed record UploadPart(int PartNumber, string Url, long Offset, long SizeBytes);

/// <summary>A part the client uploaded, as storage acknowledged it (the ETag header of the part's PUT).</summary>
public sealed record CompletedPart(int PartNumber, string ETag);

/// <summary>An upload instruction, and the id of the multipart upload behind it (null for a single request).</summary>
public sealed record PreparedUpload(UploadInstruction Instruction, string? UploadId);

/// <summary>What the store holds under a key; <see cref="VersionId"/> names these very bytes in a versioned bucket.</summary>
public sealed record StoredBlob(long SizeBytes, string? Sha256, string? VersionId = null);

/// <summary>How a client gets a version's bytes: a redirect to storage, or a stream the API serves.</summary>
public abstract record BlobDownload;

public sealed record BlobRedirect(Uri Url) : BlobDownload;

public sealed record BlobStream(Stream Content) : BlobDownload;

/// <summary>The object store port: a folder on this machine, or S3.</summary>
public interface IBlobStore
{
    /// <summary>A short-lived, signed instruction to upload exactly <paramref name="sizeBytes"/> bytes to <paramref name="key"/>.</summary>
    Task<PreparedUpload> PrepareUploadAsync(string key, long sizeBytes, string contentType, string? sha256, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Assembles a multipart upload from the parts the client sent; false when storage does not have them all.</summary>
    Task<bool> FinishUploadAsync(string key, string uploadId, IReadOnlyList<CompletedPart> parts, CancellationToken cancellationToken);

    /// <summary>Gives up a multipart upload and whatever parts reached storage.</summary>
    Task AbortUploadAsync(string key, string uploadId, CancellationToken cancellationToken);

    /// <summary>The object under <paramref name="key"/>, or null when nothing was uploaded there.</summary>
    Task<StoredBlob?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the object's bytes, for the worker; clients download through <see cref="OpenDownloadAsync"/>. With
    /// <paramref name="versionId"/> (what <see cref="GetAsync"/> found at <c>complete</c>), exactly those bytes.
    /// </summary>
    Task<Stream> OpenReadAsync(string key, string? versionId, CancellationToken cancellationToken);

    Task<BlobDownload> OpenDownloadAsync(string key, string? versionId, string fileName, string contentType, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Stores what the system itself made (a preview image) under <paramref name="key"/>, replacing what was there.</summary>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>
    /// Sets (<paramref name="on"/>) or clears the legal hold of the object version under <paramref name="key"/>: while
    /// it is set, storage itself refuses to delete those bytes, whatever the application asks (S3 Object Lock's legal
    /// hold; the folder store refuses to delete a held object's document). A store without locks (an S3 stand-in,
    /// <see cref="S3StorageOptions.ObjectLock"/> off) does nothing: the database's hold is then the only guard.
    /// </summary>
    Task SetLegalHoldAsync(string key, string? versionId, bool on, CancellationToken cancellationToken);

    /// <summary>Removes every object whose key starts with <paramref name="prefix"/>.</summary>
    Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>For <c>/health</c>: what answered (a description), or an exception saying why storage cannot be used.</summary>
    Task<string> CheckAsync(CancellationToken cancellationToken);
}
