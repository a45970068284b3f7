namespace Dms.Api.Operations;

/// <summary>
/// This process's requests over the last hour, one bucket a second, each with a latency histogram (bins 5% wide
/// from 0.1 ms to a minute): the API p95 latency and error rate of the operator status, read over any window up to
/// <see cref="MaxWindow"/> in memory that does not grow with traffic. A p95 is the upper edge of its bin, so it reads
/// at most 5% high, never low.
/// </summary>
public sealed class RequestStatistics(TimeProvider time)
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(1);

    private const double SmallestMs = 0.1;
    private const double Growth = 1.05;
    private static readonly int Bins = (int)Math.Ceiling(Math.Log(60_000 / SmallestMs) / Math.Log(Growth)) + 1;
    private static readonly int Seconds = (int)MaxWindow.TotalSeconds;

    private readonly Bucket[] _buckets = [.. Enumerable.Range(0, Seconds).Select(_ => new Bucket(Bins))];
    private readonly Lock _lock = new();

    public sealed record Summary(long Requests, long ServerErrors, double? P95Ms);

    public void Record(TimeSpan duration, int statusCode)
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        var bin = BinOf(duration.TotalMilliseconds);
        lock (_lock)
        {
            var bucket = _buckets[second % Seconds];
            if (bucket.Second != second)
            {
                bucket.Reset(second);
            }

            bucket.Latency[bin]++;
            bucket.Requests++;
            bucket.ServerErrors += statusCode >= 500 ? 1 : 0;
        }
    }

    /// <summary>What the requests of the last <paramref name="window"/> (at most <see cref="MaxWindow"/>) add up to.</summary>
    public Summary Summarize(TimeSpan window)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var since = now - (long)Math.Min(window.TotalSeconds, Seconds) + 1;
        var latency = new long[Bins];
        long requests = 0, errors = 0;
        lock (_lock)
        {
            foreach (var bucket in _buckets.Where(b => b.Second >= since && b.Second <= now))
            {
                requests += bucket.Requests;
                errors += bucket.ServerErrors;
                for (var i = 0; i < Bins; i++)
                {
                    latency[i] += bucket.Latency[i];
                }
            }
        }

        return new Summary(requests, errors, requests == 0 ? null : Percentile(latency, requests, 0.95));
    }

    private static int BinOf(double ms) => ms <= SmallestMs ? 0 : Math.Min(Bins - 1, (int)Math.Ceiling(Math.Log(ms / SmallestMs) / Math.Log(Growth)));

    private static double Percentile(long[] latency, long count, double share)
    {
        var rank = (long)Math.Ceiling(count * share);
        long seen = 0;
        for (var bin = 0; bin < latency.Length; bin++)
        {
            seen += latency[bin];
            if (seen >= rank)
            {
                return Math.Round(SmallestMs * Math.Pow(Growth, bin), 1);
            }
        }

        return SmallestMs * Math.Pow(Growth, latency.Length - 1);
    }

    private sealed class Bucket(int bins)
    {
        public long Second { get; private set; } = -1;
        public long[] Latency { get; } = new long[bins];
        public long Requests { get; set; }
        public long ServerErrors { get; set; }

        public void Reset(long second)
        {
            Second = second;
            Array.Clear(Latency);
            Requests = 0;
            ServerErrors = 0;
        }
    }
}
