namespace Dms.Worker.Processing;

/// <summary>The last turn of the processing loop, shared between the loop and its health check.</summary>
public sealed class ProcessingHeartbeat
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastBeat;
    private int _queuedDocuments;
    private string? _lastError;

    public void Beat(DateTimeOffset at, int queuedDocuments)
    {
        lock (_gate)
        {
            _lastBeat = at;
            _queuedDocuments = queuedDocuments;
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

    public (DateTimeOffset? LastBeat, int QueuedDocuments, string? LastError) Read()
    {
        lock (_gate)
        {
            return (_lastBeat, _queuedDocuments, _lastError);
        }
    }
}
