namespace Dms.Common;

/// <summary>
/// Folders and files that only their owner may read, from the moment they exist: on a shared host, tenants' bytes,
/// backups and work files are never readable by other users, not even between creating a file and changing its mode.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode FolderMode = FileMode | UnixFileMode.UserExecute;

    /// <summary>Creates the folder and any missing parents as owner-only (existing ones keep their mode).</summary>
    public static DirectoryInfo CreateFolder(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(full);
        }

        // Directory.CreateDirectory gives the mode to the last folder only: each missing one is made on its own.
        var missing = new Stack<string>();
        for (var folder = full; folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            missing.Push(folder);
        }

        foreach (var folder in missing)
        {
            Directory.CreateDirectory(folder, FolderMode);
        }

        return new DirectoryInfo(full);
    }

    /// <summary>Opens a new file for writing, created owner-only (<see cref="System.IO.FileMode.Create"/> truncates one that exists).</summary>
    public static FileStream CreateFile(string path, FileMode mode = System.IO.FileMode.Create, int bufferSize = 4096)
    {
        var options = new FileStreamOptions
        {
            Mode = mode,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = bufferSize,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return new FileStream(path, options);
    }

    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        await using var file = CreateFile(path);
        await using var writer = new StreamWriter(file);
        await writer.WriteAsync(text.AsMemory(), cancellationToken);
    }
}
