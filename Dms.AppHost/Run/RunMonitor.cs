using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Dms.AppHost.Run;

/// <summary>
/// Tells the person who started the system what happened, on the AppHost's console, and keeps it running: one line
/// once every resource is ready; a resource that exits after that is started again (<see cref="Supervisor"/>: a line
/// each time, and one when it is healthy again). When a resource fails to start, exits on its own before the system
/// is ready or in a crash loop after, or stays unhealthy past <see cref="RunSettings.UnhealthyLimit"/> while it starts
/// (or the whole start takes longer than <see cref="RunSettings.StartLimit"/>), it prints its last log lines and what
/// to do, stops everything, and the AppHost exits with code 1. A resource stopped on purpose (the dashboard's stop
/// command) is neither a failure nor started again.
/// </summary>
public sealed partial class RunMonitor(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    RunSettings settings,
    ReadyMessage readyMessage,
    TimeProvider time) : IHostedLifecycleService
{
    private readonly Supervisor _supervisor = new(settings, time);

    /// <summary>How many of the failed resource's last log lines are printed.</summary>
    public const int LogLines = 25;

    /// <summary>Since when each running resource has failed its health check, while the system starts.</summary>
    private readonly Dictionary<string, DateTimeOffset> _unhealthySince = [];

    /// <summary>Resources the orchestrator was told to stop (the dashboard's stop or restart command) and not started since.</summary>
    private readonly HashSet<string> _stoppedOnPurpose = [];
    private Task _watching = Task.CompletedTask;

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Done once the ready line is printed: from then on a resource that exits is started again (tests wait for it).</summary>
    public Task Ready => _ready.Task;

    /// <summary>What was printed when a resource failed, if one did: for a host that cannot see the console (tests).</summary>
    public string? FailureReport { get; private set; }

    /// <summary>
    /// Before any hosted service starts: Aspire's orchestrator does not finish starting until every resource is
    /// created, and a resource can wait for one that failed (the api for the seeded user pool) for ever.
    /// </summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _watching = Task.Run(() => WatchAsync(lifetime.ApplicationStopping), CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => _watching.WaitAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        var watched = model.Resources.Where(IsWatched).ToDictionary(r => r.Name);
        var toCompletion = model.Resources
            .SelectMany(r => r.Annotations.OfType<WaitAnnotation>())
            .Where(w => w.WaitType == WaitType.WaitForCompletion)
            .Select(w => w.Resource.Name)
            .ToHashSet();
        var latest = new Dictionary<string, ResourceEvent>();
        var started = time.GetUtcNow();
        var ready = false;

        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        var events = notifications.WatchAsync(stoppingToken).GetAsyncEnumerator(stoppingToken);
        var nextEvent = events.MoveNextAsync().AsTask();
        var nextTick = ticks.WaitForNextTickAsync(stoppingToken).AsTask();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var finished = await Task.WhenAny(nextEvent, nextTick);
                if (finished == nextEvent)
                {
                    if (!await nextEvent)
                    {
                        return;
                    }

                    var update = events.Current;
                    nextEvent = events.MoveNextAsync().AsTask();
                    if (!watched.ContainsKey(update.Resource.Name))
                    {
                        continue;
                    }

                    latest[update.Resource.Name] = update;
                    NoteStopOnPurpose(update);
                }
                else
                {
                    await nextTick;
                    nextTick = ticks.WaitForNextTickAsync(stoppingToken).AsTask();
                }

                // Every second too, not only on a change: a resource can stay unhealthy without a word.
                foreach (var update in latest.Values)
                {
                    var name = update.Resource.Name;
                    if (ready && !toCompletion.Contains(name) && HasEnded(update))
                    {
                        switch (_supervisor.Exited(name, update.ResourceId, update.Snapshot.ExitCode))
                        {
                            case { CrashLoop: { } crashLoop }:
                                await FailAsync(update, crashLoop, ready, stoppingToken);
                                return;
                            case { Line: { } line }:
                                Console.Out.WriteLine(line);
                                break;
                        }

                        continue;
                    }

                    if (ready && IsReady(update, toCompletion: false) && _supervisor.Healthy(name) is { } healthy)
                    {
                        Console.Out.WriteLine(healthy);
                    }

                    if (Failure(update, toCompletion.Contains(name), ready) is { } failure)
                    {
                        await FailAsync(update, failure, ready, stoppingToken);
                        return;
                    }
                }

                foreach (var (name, resourceId) in _supervisor.DueRestarts())
                {
                    // Started meanwhile by someone else (the dashboard's restart, whose stop this monitor may not have
                    // seen): a second start would race it.
                    if (notifications.TryGetCurrentState(resourceId, out var now) && !HasEnded(now))
                    {
                        continue;
                    }

                    var restarted = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken);
                    if (!restarted.Success)
                    {
                        await FailAsync(latest[name], $"it exited and could not be started again: {restarted.Message}", ready, stoppingToken);
                        return;
                    }
                }

                if (!ready && watched.Keys.All(name => latest.TryGetValue(name, out var e) && IsReady(e, toCompletion.Contains(name))))
                {
                    ready = true;
                    Console.Out.WriteLine(await readyMessage.FormatAsync(model, stoppingToken));
                    _ready.TrySetResult();
                }
                else if (!ready && time.GetUtcNow() - started > settings.StartLimit)
                {
                    var waiting = watched.Keys.Where(name => !latest.TryGetValue(name, out var e) || !IsReady(e, toCompletion.Contains(name))).ToList();
                    var first = latest.GetValueOrDefault(waiting[0]);
                    await FailAsync(first, $"the system was not ready after {settings.StartLimit.TotalSeconds:0} s; still waiting for {string.Join(", ", waiting.Select(n => $"{n} ({Describe(latest.GetValueOrDefault(n))})"))}", ready: false, stoppingToken);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The system runs on without the account of its state; the dashboard still shows it.
            await Console.Error.WriteLineAsync($"The AppHost stopped watching its resources: {e.Message}");
        }
        finally
        {
            // An async iterator cannot be disposed of while it waits for its next item: let that wait end first.
            await Task.WhenAll(nextEvent, nextTick).ContinueWith(_ => { }, TaskScheduler.Default);
            await events.DisposeAsync();
        }
    }

    /// <summary>Projects and executables the app model runs; not the hidden helpers Aspire adds (rebuilders).</summary>
    private static bool IsWatched(IResource resource) =>
        resource is ProjectResource or ExecutableResource && resource is not IResourceWithParent;

    private static bool IsReady(ResourceEvent update, bool toCompletion) =>
        toCompletion
            ? update.Snapshot.State?.Text == KnownResourceStates.Finished && update.Snapshot.ExitCode == 0
            : update.Snapshot.State?.Text == KnownResourceStates.Running && update.Snapshot.HealthStatus == HealthStatus.Healthy;

    /// <summary>Ended by itself: not while the orchestrator was stopping it (the dashboard's stop command).</summary>
    private bool HasEnded(ResourceEvent update) =>
        (update.Snapshot.State?.Text == KnownResourceStates.Finished || update.Snapshot.State?.Text == KnownResourceStates.Exited)
        && !_stoppedOnPurpose.Contains(update.Resource.Name);

    /// <summary>What went wrong with the resource, or null if nothing has.</summary>
    private string? Failure(ResourceEvent update, bool toCompletion, bool ready)
    {
        var snapshot = update.Snapshot;
        var state = snapshot.State?.Text;
        if (state == KnownResourceStates.FailedToStart)
        {
            return "it failed to start";
        }

        // Ended by itself before the system was ready (after, the supervisor starts it again; at shut-down nothing counts).
        if (HasEnded(update))
        {
            return toCompletion && snapshot.ExitCode == 0 ? null : $"it exited with code {snapshot.ExitCode?.ToString() ?? "unknown"}";
        }

        // After start-up a resource may be unhealthy for a reason the runbook covers (the scanner stopped, the database paused).
        if (state == KnownResourceStates.Running && snapshot.HealthStatus != HealthStatus.Healthy && !ready)
        {
            var since = _unhealthySince.TryGetValue(update.Resource.Name, out var first) ? first : _unhealthySince[update.Resource.Name] = time.GetUtcNow();
            if (time.GetUtcNow() - since > settings.UnhealthyLimit)
            {
                var reasons = snapshot.HealthReports.Where(r => r.Status != HealthStatus.Healthy)
                    .Select(r => $"{r.Name}: {r.Description ?? r.ExceptionText ?? r.Status?.ToString()}");
                return $"it stayed unhealthy for {settings.UnhealthyLimit.TotalSeconds:0} s ({string.Join("; ", reasons)})";
            }
        }
        else
        {
            _unhealthySince.Remove(update.Resource.Name);
        }

        return null;
    }

    private void NoteStopOnPurpose(ResourceEvent update)
    {
        var state = update.Snapshot.State?.Text;
        if (state == KnownResourceStates.Stopping)
        {
            _stoppedOnPurpose.Add(update.Resource.Name);
        }
        else if (state == KnownResourceStates.Starting || state == KnownResourceStates.Running)
        {
            _stoppedOnPurpose.Remove(update.Resource.Name);
        }
    }

    private static string Describe(ResourceEvent? update) =>
        update is null ? "not started"
        : update.Snapshot.State?.Text == KnownResourceStates.Running ? $"running, {update.Snapshot.HealthStatus?.ToString().ToLowerInvariant() ?? "unknown"}"
        : update.Snapshot.State?.Text?.ToLowerInvariant() ?? "not started";

    private async Task FailAsync(ResourceEvent? update, string what, bool ready, CancellationToken cancellationToken)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return; // resources end on their own while everything stops: that is no failure
        }

        var report = new System.Text.StringBuilder();
        var name = update?.Resource.Name ?? "the system";
        report.AppendLine().AppendLine(ready ? $"Dms stopped: {name}: {what}." : $"Dms did not start: {name}: {what}.");
        if (update is not null)
        {
            var lines = await LastLinesAsync(update.ResourceId, cancellationToken);
            if (lines.Count > 0)
            {
                report.AppendLine($"The last lines {name} wrote:");
                foreach (var line in lines)
                {
                    report.AppendLine($"  {line}");
                }
            }

            var hint = update.Resource.Annotations.OfType<FailureHintAnnotation>().LastOrDefault()?.Hint
                       ?? "its lines name the error; a setting it names is one of the AppHost's (docs/settings.md), e.g. ./dms.sh run -- --Key=value.";
            report.AppendLine($"What to do: {hint}");
        }

        report.AppendLine("Stopping everything.");
        FailureReport = report.ToString();
        Console.Error.Write(FailureReport);
        Environment.ExitCode = 1;
        lifetime.StopApplication();
    }

    private async Task<IReadOnlyList<string>> LastLinesAsync(string resourceId, CancellationToken cancellationToken)
    {
        var last = new Queue<string>();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await foreach (var batch in logs.GetAllAsync(resourceId).WithCancellation(timeout.Token))
            {
                foreach (var line in batch)
                {
                    last.Enqueue(ConsoleNoise().Replace(line.Content, ""));
                    if (last.Count > LogLines)
                    {
                        last.Dequeue();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            // What was read is enough: the report must not wait on a log stream.
        }

        return last.ToList();
    }

    /// <summary>The time the orchestrator puts before each line of a resource's console, and terminal colours.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z |\x1b\[[0-9;]*m")]
    private static partial System.Text.RegularExpressions.Regex ConsoleNoise();
}
