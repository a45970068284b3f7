namespace Dms.Benchmarks;

/// <summary>A process the benchmark watches (the worker, an API), and its memory read from /proc.</summary>
public sealed class ProcessMemory(int pid)
{
    public int Pid => pid;

    /// <summary>Finds the worker's own process (not a <c>dotnet run</c> wrapper) by its blob folder, which is unique to this app model.</summary>
    public static ProcessMemory FindWorker(string stateDirectory)
    {
        var marker = $"Dms__Storage__FileSystem__Root={Path.Combine(stateDirectory, "blobs")}";
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            try
            {
                var command = File.ReadAllText(Path.Combine(folder, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                var isWorker = command.Any(a => a.EndsWith("Dms.Worker.dll", StringComparison.Ordinal) || a.EndsWith("/Dms.Worker", StringComparison.Ordinal));
                if (isWorker && !command.Contains("run") && File.ReadAllText(Path.Combine(folder, "environ")).Split('\0').Contains(marker))
                {
                    return new ProcessMemory(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        throw new InvalidOperationException("The worker process was not found.");
    }

    /// <summary>Resident set size now, in MiB.</summary>
    public double ResidentMiB() => ReadKiB("VmRSS:") / 1024.0;

    /// <summary>The highest resident set size so far, in MiB.</summary>
    public double PeakMiB() => ReadKiB("VmHWM:") / 1024.0;

    private long ReadKiB(string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0]);
    }
}
