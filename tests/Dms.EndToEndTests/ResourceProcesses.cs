using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;

namespace Dms.EndToEndTests;

/// <summary>The operating-system processes behind the running app model's resources, as a crash would meet them.</summary>
public static class ResourceProcesses
{
    /// <summary>The process id the run reports for a resource, or 0 while it has none.</summary>
    public static int ProcessIdOf(AppModel model, string resource) =>
        model.App.ResourceNotifications.TryGetCurrentState(resource, out var current)
        && current.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid
        && int.TryParse(pid.ToString(), out var id)
            ? id
            : 0;

    /// <summary>SIGKILL, as the kernel's OOM killer sends it.</summary>
    public static void Kill(int pid)
    {
        Assert.True(pid > 0, "no process to kill");
        Process.Start("kill", ["-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
    }

    public static int[] ChildrenOf(int pid) =>
        pid > 0 && Directory.Exists($"/proc/{pid}/task")
            ? Directory.GetDirectories($"/proc/{pid}/task")
                .SelectMany(task => ReadOrEmpty(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(int.Parse).ToArray()
            : [];

    public static string CommandOf(int pid) => ReadOrEmpty($"/proc/{pid}/comm").Trim();

    /// <summary>The process has ended (reaped, or a zombie waiting for its parent).</summary>
    public static bool Gone(int pid) =>
        !File.Exists($"/proc/{pid}/stat") || ReadOrEmpty($"/proc/{pid}/stat") is var stat && (stat.Length == 0 || stat.Split(") ")[^1].StartsWith('Z'));

    /// <summary>Polls <paramref name="condition"/> (a connection refused counts as not yet) until it holds; fails past the limit.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!Try(condition))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Waited {limit.TotalSeconds:0} s for {what}: it did not come.");
            await Task.Delay(100, cancellationToken);
        }
    }

    public static async Task WaitHealthyAsync(AppModel model, string resource, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        await model.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.WaitOnResourceUnavailable, timeout.Token);
    }

    private static bool Try(Func<bool> condition)
    {
        try
        {
            return condition();
        }
        catch (Exception e) when (e is HttpRequestException or AggregateException or Npgsql.NpgsqlException)
        {
            return false;
        }
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
