using Dms.Storage;

namespace Dms.IntegrationTests.Fixtures;

/// <summary>
/// A blob store that does what the real one does, with the test's hooks in between: a delete that always fails (an
/// item a sweep cannot finish), or a moment after a look into storage held open for a race.
/// </summary>
public sealed class InterceptedBlobStore(IBlobStore inner) : IBlobStore
{
    /// <summary>Deleting this prefix throws, as a storage that refuses would.</summary>
    public string? FailDeleting { get; set; }

    /// <summary>Runs after each look into storage (with the key looked for), before the caller gets the answer.</summary>
    public Func<string, Task>? AfterGet { get; set; }

    public async Task<StoredBlob?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var found = await inner.GetAsync(key, cancellationToken);
        if (AfterGet is { } hook)
        {
            await hook(key);
        }

        return found;
    }

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken) =>
        prefix == FailDeleting ? throw new IOException($"Storage refused to delete {prefix}.") : inner.DeletePrefixAsync(prefix, cancellationToken);

    public Task<PreparedUpload> PrepareUploadAsync(string key, long sizeBytes, string contentType, string? sha256, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        inner.PrepareUploadAsync(key, sizeBytes, contentType, sha256, expiresAt, cancellationToken);

    public Task<bool> FinishUploadAsync(string key, string uploadId, IReadOnlyList<CompletedPart> parts, CancellationToken cancellationToken) =>
        inner.FinishUploadAsync(key, uploadId, parts, cancellationToken);

    public Task AbortUploadAsync(string key, string uploadId, CancellationToken cancellationToken) => inner.AbortUploadAsync(key, uploadId, cancellationToken);

    public Task<Stream> OpenReadAsync(string key, string? versionId, CancellationToken cancellationToken) => inner.OpenReadAsync(key, versionId, cancellationToken);

    public Task<BlobDownload> OpenDownloadAsync(string key, string? versionId, string fileName, string contentType, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        inner.OpenDownloadAsync(key, versionId, fileName, contentType, expiresAt, cancellationToken);

    public Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken) => inner.PutAsync(key, content, contentType, cancellationToken);

    public Task SetLegalHoldAsync(string key, string? versionId, bool on, CancellationToken cancellationToken) =>
        inner.SetLegalHoldAsync(key, versionId, on, cancellationToken);

    public Task<string> CheckAsync(CancellationToken cancellationToken) => inner.CheckAsync(cancellationToken);
}
