using Dms.Queue;

namespace Dms.Worker.Processing;

/// <summary>The worker's last look at the queue, shared between the worker and its health check.</summary>
public sealed class ProcessingHeartbeat
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastBeat;
    private QueueDepth _depth = new(0, 0);
    private string? _lastError;

    public void Beat(DateTimeOffset at, QueueDepth depth)
    {
        lock (_gate)
        {
            _lastBeat = at;
            _depth = depth;
            _lastError = null;
        }
    }

    public void Fail(string error)
    {
        lock (_gate)
        {
            _lastError = error;
        }
    }

    public (DateTimeOffset? LastBeat, QueueDepth Depth, string? LastError) Read()
    {
        lock (_gate)
        {
            return (_lastBeat, _depth, _lastError);
        }
    }
}
