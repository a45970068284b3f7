using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Dms.Common;
using Dms.Storage;
using Microsoft.Extensions.Options;

namespace Dms.Adapters.FileSystem;

/// <summary>
/// The embedded object store: a folder. Clients upload to a short-lived signed URL that the API serves by streaming
/// the request body to disk (see <see cref="ReceiveAsync"/>), checking signature, expiry, size and checksum. Folders
/// and files are owner-only from creation: on a shared host, no other user reads a tenant's bytes.
/// </summary>
/// <param name="address">Where uploads are received; only the API, which receives them, prepares uploads.</param>
public sealed partial class FileSystemBlobStore(
    IOptions<StorageOptions> options, UploadUrlSigner signer, TimeProvider time, IUploadAddress? address = null) : IBlobStore
{
    private const int BufferSize = 128 * 1024;

    private static readonly Error UploadUsed = new(ErrorKind.Conflict, "upload-url-used",
        "This upload URL has been used: a document's bytes change only by a new version (POST .../versions).");
    private readonly string _root = Path.GetFullPath(options.Value.FileSystem.Root);

    /// <summary>Always one request: the upload endpoint streams a body of any size.</summary>
    public Task<PreparedUpload> PrepareUploadAsync(
        string key, long sizeBytes, string contentType, string? sha256, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var expires = expiresAt.ToUnixTimeSeconds();
        var query = $"size={sizeBytes}&expires={expires}{(sha256 is null ? "" : $"&sha256={sha256}")}&signature={signer.Sign(key, sizeBytes, sha256, expires)}";
        var url = (address ?? throw new InvalidOperationException("Only the API, which receives uploads, prepares them.")).UrlFor(key, query);
        var instruction = new UploadInstruction(url, "PUT", new Dictionary<string, string> { ["Content-Type"] = contentType }, expiresAt);
        return Task.FromResult(new PreparedUpload(instruction, null));
    }

    /// <summary>Never called: this store makes no multipart uploads.</summary>
    public Task<bool> FinishUploadAsync(string key, string uploadId, IReadOnlyList<CompletedPart> parts, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The file store makes no multipart uploads.");

    /// <summary>Never called: this store makes no multipart uploads.</summary>
    public Task AbortUploadAsync(string key, string uploadId, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The file store makes no multipart uploads.");

    public Task<StoredBlob?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var file = new FileInfo(path);
        StoredBlob? blob = file.Exists ? new StoredBlob(file.Length, ReadChecksum(path)) : null;
        return Task.FromResult(blob);
    }

    /// <summary>A file has one version: its upload URL writes it once (see <see cref="ReceiveAsync"/>).</summary>
    public Task<Stream> OpenReadAsync(string key, string? versionId, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true));

    public async Task<BlobDownload> OpenDownloadAsync(
        string key, string? versionId, string fileName, string contentType, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        new BlobStream(await OpenReadAsync(key, versionId, cancellationToken));

    /// <summary>Written beside, then moved into place: a reader sees the old file or the new one, never half of one.</summary>
    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        OwnerOnly.CreateFolder(Path.GetDirectoryName(path)!);
        var partial = $"{path}.{Guid.NewGuid():N}.partial";
        await using (var file = OwnerOnly.CreateFile(partial, bufferSize: BufferSize))
        {
            await content.CopyToAsync(file, cancellationToken);
        }

        File.Move(partial, path, overwrite: true);
    }

    /// <summary>A marker beside the object (<c>content.legal-hold</c>): while it is there, <see cref="DeletePrefixAsync"/> refuses.</summary>
    public async Task SetLegalHoldAsync(string key, string? versionId, bool on, CancellationToken cancellationToken)
    {
        var marker = LegalHoldPath(PathOf(key));
        if (on)
        {
            OwnerOnly.CreateFolder(Path.GetDirectoryName(marker)!);
            await File.WriteAllTextAsync(marker, "held\n", cancellationToken);
        }
        else
        {
            File.Delete(marker);
        }
    }

    /// <summary>Refused, deleting nothing, while an object under the prefix is held (as S3 refuses a held version).</summary>
    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(Path.Combine(_root, prefix));
        if (!folder.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{prefix}' is not inside the store.", nameof(prefix));
        }

        if (Directory.Exists(folder))
        {
            if (Directory.EnumerateFiles(folder, "*" + LegalHoldSuffix, SearchOption.AllDirectories).FirstOrDefault() is { } held)
            {
                throw new IOException($"{Path.GetRelativePath(_root, held[..^LegalHoldSuffix.Length])} is under a legal hold: it cannot be deleted.");
            }

            Directory.Delete(folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>The folder must exist and take a file: uploads write there.</summary>
    public async Task<string> CheckAsync(CancellationToken cancellationToken)
    {
        var probe = Path.Combine(_root, $".health-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(probe, [], cancellationToken);
        File.Delete(probe);
        return $"The folder {_root} takes files.";
    }

    /// <summary>
    /// Takes an upload made to a URL from <see cref="PrepareUploadAsync"/>: checks the signature and expiry, then streams the
    /// body to a temporary file while hashing it, and moves it into place only when size and checksum are right. Each
    /// URL writes once: once its object exists, a replay is refused, so stored bytes change only by a new version.
    /// </summary>
    public async Task<Outcome<StoredBlob>> ReceiveAsync(
        string key, long sizeBytes, string? sha256, long expires, string signature, long? contentLength, Stream body, CancellationToken cancellationToken)
    {
        if (!KeyPattern().IsMatch(key) || !signer.IsValid(key, sizeBytes, sha256, expires, signature))
        {
            return new Error(ErrorKind.Forbidden, "upload-url-invalid", "The upload URL's signature does not match: use the URL exactly as it was given.");
        }

        if (time.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            return new Error(ErrorKind.Forbidden, "upload-url-expired", "The upload URL has expired: ask for a new one.");
        }

        if (contentLength is { } length && length != sizeBytes)
        {
            return length > sizeBytes
                ? new Error(ErrorKind.TooLarge, "upload-too-large", $"The body is {length} bytes; this upload takes exactly {sizeBytes}.")
                : new Error(ErrorKind.Invalid, "upload-size-mismatch", $"The body is {length} bytes; this upload takes exactly {sizeBytes}.");
        }

        var path = PathOf(key);
        if (File.Exists(path))
        {
            return UploadUsed;
        }

        OwnerOnly.CreateFolder(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.part";
        try
        {
            var (received, actualSha256) = await CopyAndHashAsync(body, temporary, sizeBytes, cancellationToken);
            if (received != sizeBytes)
            {
                return received > sizeBytes
                    ? new Error(ErrorKind.TooLarge, "upload-too-large", $"The body is over {sizeBytes} bytes, the size declared for this upload.")
                    : new Error(ErrorKind.Invalid, "upload-size-mismatch", $"The body is {received} bytes; this upload takes exactly {sizeBytes}.");
            }

            if (sha256 is not null && sha256 != actualSha256)
            {
                return new Error(ErrorKind.Invalid, "checksum-mismatch", $"The body's SHA-256 is {actualSha256}, not the declared {sha256}.");
            }

            await OwnerOnly.WriteAllTextAsync(temporary + ".sha256", actualSha256, cancellationToken);
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Two PUTs to one URL at once: the first to finish wrote it.
                return UploadUsed;
            }

            File.Move(temporary + ".sha256", ChecksumPath(path), overwrite: true);
            return new StoredBlob(received, actualSha256);
        }
        finally
        {
            File.Delete(temporary);
            File.Delete(temporary + ".sha256");
        }
    }

    /// <summary>Streams at most one byte more than expected, so an oversized body is caught without reading it all.</summary>
    private static async Task<(long Received, string Sha256)> CopyAndHashAsync(Stream body, string path, long limit, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = OwnerOnly.CreateFile(path, FileMode.CreateNew, BufferSize);
        var buffer = new byte[BufferSize];
        long received = 0;
        int read;
        while (received <= limit && (read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            received += read;
            hash.AppendData(buffer, 0, read);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return (received, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private string PathOf(string key) =>
        KeyPattern().IsMatch(key)
            ? Path.Combine(_root, key)
            : throw new ArgumentException($"'{key}' is not an object key of this store.", nameof(key));

    private static string ChecksumPath(string path) => path + ".sha256";

    private const string LegalHoldSuffix = ".legal-hold";

    private static string LegalHoldPath(string path) => path + LegalHoldSuffix;

    private static string? ReadChecksum(string path) => File.Exists(ChecksumPath(path)) ? File.ReadAllText(ChecksumPath(path)).Trim() : null;

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/documents/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/v[1-9][0-9]{0,5}/(content|preview/(thumbnail|page-[1-9][0-9]{0,4})\\.png)$")]
    private static partial Regex KeyPattern();
}
