using System.Security.Cryptography;
using Dms.Common;
using Dms.Documents;
using Dms.Storage;

namespace Dms.Worker.Tools;

/// <summary>A version's bytes in the worker's work folder, for the pipeline and for page images rendered on request.</summary>
public sealed class VersionDownload(IBlobStore blobs)
{
    /// <summary>
    /// Copies the version's bytes (the very object <c>complete</c> checked) to the work folder, hashing them on the way:
    /// bytes that are not the ones uploaded are never scanned, read or served.
    /// </summary>
    public async Task CopyAsync(DocumentVersion version, string file, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var source = await blobs.OpenReadAsync(version.BlobKey, version.StorageVersionId, cancellationToken))
        await using (var target = OwnerOnly.CreateFile(file))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }

        if (version.Sha256 is { } expected && Convert.ToHexStringLower(hash.GetHashAndReset()) != expected)
        {
            throw new UnreadableContentException("The stored file is not the one that was uploaded (its SHA-256 changed after upload), so it was not processed or served: upload it again as a new version.");
        }
    }
}
