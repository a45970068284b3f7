using System.Collections.Concurrent;

namespace Dms.Documents.Lifecycle;

/// <summary>
/// The documents a sweep failed on, each left alone for a while that doubles with every failure (one minute up to
/// six hours), so one item that always fails neither stops the sweep nor takes every turn. Kept in the worker's
/// memory: a restart simply tries everything again.
/// </summary>
public sealed class SweepBackoff(TimeProvider time)
{
    public static readonly TimeSpan FirstWait = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan LongestWait = TimeSpan.FromHours(6);

    private readonly ConcurrentDictionary<Guid, (int Failures, DateTimeOffset RetryAt)> _failing = new();

    /// <summary>The documents to leave out of this turn.</summary>
    public Guid[] Waiting()
    {
        var now = time.GetUtcNow();
        return [.. _failing.Where(f => f.Value.RetryAt > now).Select(f => f.Key)];
    }

    public void Failed(Guid documentId)
    {
        var now = time.GetUtcNow();
        _failing.AddOrUpdate(documentId, _ => (1, now + FirstWait), (_, failing) =>
        {
            var wait = FirstWait * Math.Pow(2, Math.Min(failing.Failures, 16));
            return (failing.Failures + 1, now + (wait < LongestWait ? wait : LongestWait));
        });
    }

    public void Succeeded(Guid documentId) => _failing.TryRemove(documentId, out _);
}
