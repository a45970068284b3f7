using Microsoft.Extensions.Logging;
using Npgsql;

namespace Dms.Queue;

/// <summary>
/// Wakes whoever waits for processing jobs the moment one is committed: one connection held on <c>LISTEN</c>, which
/// the <c>processing_job_available</c> trigger notifies on every new or redriven job. It reconnects after an outage;
/// meanwhile waiters fall back on their timeouts.
/// </summary>
public sealed partial class JobNotifications(NpgsqlDataSource dataSource, ILogger<JobNotifications> logger) : IAsyncDisposable
{
    /// <summary>The channel the <c>processing_job_available</c> trigger notifies.</summary>
    public const string Channel = "dms_processing_jobs";

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _next = NewSignal();
    private Task? _listener;

    /// <summary>
    /// Completes at the next notification. Take it before looking for work, so a job committed between the look and
    /// the wait still wakes the waiter.
    /// </summary>
    public Task Next()
    {
        lock (_gate)
        {
            _listener ??= Task.Run(() => ListenAsync(_stopping.Token));
            return _next.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_listener is not null)
        {
            await _listener.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    private void Signal()
    {
        lock (_gate)
        {
            _next.TrySetResult();
            _next = NewSignal();
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

                // Jobs written while nobody listened are found by the next look.
                Signal();
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

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for processing jobs failed, retrying: {ErrorMessage}")]
    private static partial void LogListenFailed(ILogger logger, string errorMessage);
}
