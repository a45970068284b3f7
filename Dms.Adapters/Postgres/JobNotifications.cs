using Microsoft.Extensions.Logging;
using Npgsql;

namespace Dms.Adapters.Postgres;

/// <summary>
/// Wakes a waiter for processing jobs the moment one is committed: one connection held on <c>LISTEN</c>, which the
/// <c>processing_job_available</c> trigger notifies on every new or redriven job. Each notification wakes one waiter,
/// not all of them, so idle workers do not stampede the queue for a single job; a notification that comes while
/// nobody waits is kept for the next waiter, so none is lost between looking and waiting. It reconnects after an
/// outage; meanwhile waiters fall back on their timeouts.
/// </summary>
public sealed partial class JobNotifications(NpgsqlDataSource dataSource, ILogger<JobNotifications> logger) : IAsyncDisposable
{
    /// <summary>The channel the <c>processing_job_available</c> trigger notifies.</summary>
    public const string Channel = "dms_processing_jobs";

    /// <summary>Notifications kept for waiters to come; more would only make idle waiters look again for nothing.</summary>
    private const int MaxKept = 64;

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _notifications = new(0, MaxKept);
    private Task? _listener;

    /// <summary>Waits for a notification (or one that came since the last wait) for up to <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _listener ??= Task.Run(() => ListenAsync(_stopping.Token));
        }

        return _notifications.WaitAsync(timeout, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_listener is not null)
        {
            await _listener.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
        _notifications.Dispose();
    }

    private void Signal(int waiters = 1)
    {
        lock (_gate)
        {
            var room = MaxKept - _notifications.CurrentCount;
            if (room > 0)
            {
                _notifications.Release(Math.Min(waiters, room));
            }
        }
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stopping);
                connection.Notification += (_, _) => Signal();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping);
                }

                // Jobs written while nobody listened: every waiter looks again.
                Signal(MaxKept);
                while (true)
                {
                    await connection.WaitAsync(stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogListenFailed(logger, e.Message);
                await Task.Delay(ReconnectDelay, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for processing jobs failed, retrying: {error}")]
    private static partial void LogListenFailed(ILogger logger, string error);
}
