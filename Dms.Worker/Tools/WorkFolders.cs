using System.Text.RegularExpressions;

namespace Dms.Worker.Tools;

/// <summary>
/// Where jobs keep their file and page images while they run. By default a folder of this process's own in the
/// temporary folder, named after its process id, which only its user may enter (a fixed shared path there belongs
/// to whichever user made it first, and is a place to plant links). At start the worker deletes what a crash left:
/// the folders of its user's workers that no longer run, or everything in a configured folder (one worker each).
/// </summary>
public static partial class WorkFolders
{
    private const string Prefix = "dms-worker-";

    public static string ForThisProcess() => Directory.CreateTempSubdirectory($"{Prefix}{Environment.ProcessId}-").FullName;

    /// <summary>Empties <paramref name="workFolder"/> of what earlier runs left; returns how many entries went.</summary>
    public static int CleanUp(string workFolder)
    {
        var folder = new DirectoryInfo(workFolder);
        var removed = 0;
        if (folder.Parent is { } temporary && OfAProcess().Match(folder.Name) is { Success: true } own && own.Groups[1].Value == Environment.ProcessId.ToString())
        {
            foreach (var other in temporary.EnumerateDirectories(Prefix + "*"))
            {
                if (OfAProcess().Match(other.Name) is { Success: true } match && !IsRunning(int.Parse(match.Groups[1].Value)) && Remove(other))
                {
                    removed++;
                }
            }

            return removed;
        }

        foreach (var entry in folder.Exists ? folder.EnumerateFileSystemInfos() : [])
        {
            if (Remove(entry))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Another user's folder is closed to this one and stays; so does anything being deleted meanwhile.</summary>
    private static bool Remove(FileSystemInfo entry)
    {
        try
        {
            if (entry is DirectoryInfo directory)
            {
                directory.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsRunning(int processId) => Directory.Exists($"/proc/{processId}") || !OperatingSystem.IsLinux();

    [GeneratedRegex(@"^dms-worker-(\d+)-")]
    private static partial Regex OfAProcess();
}
