using Dms.Audit;
using Dms.Common;
using Microsoft.Extensions.Options;

namespace Dms.Adapters.FileSystem;

/// <summary>
/// The audit archive in a folder (<c>Dms:Audit:ArchiveFolder</c>): each file written once (an existing one is refused,
/// never replaced), then made read-only. A folder guards against mistakes, not against the machine's administrator:
/// that takes the S3 archive with Object Lock.
/// </summary>
public sealed class FolderAuditArchive(IOptions<AuditOptions> options) : IAuditArchive
{
    public async Task WriteAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(options.Value.ArchiveFolder!);
        var path = Path.GetFullPath(Path.Combine(root, key));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{key}' is not inside the archive.", nameof(key));
        }

        OwnerOnly.CreateFolder(Path.GetDirectoryName(path)!);
        var partial = $"{path}.{Guid.NewGuid():N}.partial";
        await using (var file = OwnerOnly.CreateFile(partial, FileMode.CreateNew))
        {
            await content.CopyToAsync(file, cancellationToken);
        }

        // Moved into place only if nothing is there: a file of the archive is never overwritten.
        File.Move(partial, path, overwrite: false);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead);
        }
    }
}
