namespace Dms.AppHost.Run;

/// <summary>
/// What the run does when a resource exits after the system was ready: starts it again after a back-off (1 s,
/// doubling with each exit in the crash-loop window, at most 30 s), unless it exited
/// <see cref="RunSettings.CrashLoopExits"/> times within <see cref="RunSettings.CrashLoopWindow"/>: that is a crash loop,
/// and the run stops as it does for a start failure. One line on the console each time, and one when it is healthy again.
/// </summary>
public sealed class Supervisor(RunSettings settings, TimeProvider time)
{
    public static readonly TimeSpan FirstBackOff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LongestBackOff = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, List<DateTimeOffset>> _exits = [];
    private readonly Dictionary<string, DateTimeOffset> _downSince = [];
    private readonly Dictionary<string, (string ResourceId, DateTimeOffset Due)> _restarts = [];
    private readonly HashSet<string> _awaitingHealth = [];

    /// <summary>What to do about an exit: start it again (and say so), or stop the run (a crash loop).</summary>
    public sealed record Decision(string? Line, string? CrashLoop);

    /// <summary>
    /// A resource seen exited. Null when this exit was already seen (the resource has not started since); otherwise the
    /// line to print and, for a crash loop, the failure that stops the run.
    /// </summary>
    public Decision? Exited(string name, string resourceId, int? exitCode)
    {
        if (_downSince.ContainsKey(name))
        {
            return null;
        }

        var now = time.GetUtcNow();
        _downSince[name] = now;
        var exits = _exits.TryGetValue(name, out var list) ? list : _exits[name] = [];
        exits.Add(now);
        exits.RemoveAll(at => now - at > settings.CrashLoopWindow);
        var code = exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";
        var window = Minutes(settings.CrashLoopWindow);
        if (exits.Count >= settings.CrashLoopExits)
        {
            return new Decision(null, $"it exited with code {code}, the {Ordinal(exits.Count)} time in {window}: a crash loop (Dms:Run:CrashLoopExits)");
        }

        var backOff = BackOff(exits.Count);
        _restarts[name] = (resourceId, now + backOff);
        return new Decision($"{name} exited with code {code}; starting it again in {backOff.TotalSeconds:0} s ({Ordinal(exits.Count)} time in {window}).", null);
    }

    /// <summary>The resources whose back-off is over: each is to be started now, and is handed out once.</summary>
    public IReadOnlyList<(string Name, string ResourceId)> DueRestarts()
    {
        var now = time.GetUtcNow();
        var due = _restarts.Where(r => r.Value.Due <= now).Select(r => (r.Key, r.Value.ResourceId)).ToList();
        foreach (var (name, _) in due)
        {
            _restarts.Remove(name);
            _awaitingHealth.Add(name);
        }

        return due;
    }

    /// <summary>A resource seen running and healthy: the line to print if it had exited, else null.</summary>
    public string? Healthy(string name)
    {
        if (!_awaitingHealth.Remove(name) || !_downSince.Remove(name, out var since))
        {
            return null;
        }

        return $"{name} is healthy again, {(time.GetUtcNow() - since).TotalSeconds:0} s after it exited.";
    }

    /// <summary>1 s after the first exit in the window, doubling with each one after it, at most <see cref="LongestBackOff"/>.</summary>
    public static TimeSpan BackOff(int exitsInWindow) =>
        TimeSpan.FromSeconds(Math.Min(LongestBackOff.TotalSeconds, FirstBackOff.TotalSeconds * Math.Pow(2, Math.Max(0, exitsInWindow - 1))));

    private static string Minutes(TimeSpan window) =>
        window.TotalMinutes >= 1 ? $"{window.TotalMinutes:0.#} min" : $"{window.TotalSeconds:0} s";

    private static string Ordinal(int n) => (n % 100) switch
    {
        11 or 12 or 13 => $"{n}th",
        _ => (n % 10) switch { 1 => $"{n}st", 2 => $"{n}nd", 3 => $"{n}rd", _ => $"{n}th" },
    };
}
