using Dms.Api.Operations;
using Microsoft.Extensions.Time.Testing;

namespace Dms.UnitTests.Api.Operations;

/// <summary>The API p95 and error rate of the operator status: right within a bin's width, and only over the window.</summary>
public sealed class RequestStatisticsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_p95_of_a_hundred_requests_of_1_to_100_ms_is_95_ms_read_at_most_5_percent_high()
    {
        var statistics = new RequestStatistics(_time);
        for (var ms = 1; ms <= 100; ms++)
        {
            statistics.Record(TimeSpan.FromMilliseconds(ms), ms % 10 == 0 ? 500 : 200);
        }

        var summary = statistics.Summarize(TimeSpan.FromMinutes(5));

        Assert.Equal(100, summary.Requests);
        Assert.Equal(10, summary.ServerErrors);
        Assert.InRange(summary.P95Ms!.Value, 95, 95 * 1.05);
    }

    [Fact]
    public void Requests_older_than_the_window_are_left_out_and_an_hour_later_nothing_is_left()
    {
        var statistics = new RequestStatistics(_time);
        statistics.Record(TimeSpan.FromMilliseconds(900), 200);
        _time.Advance(TimeSpan.FromMinutes(2));
        statistics.Record(TimeSpan.FromMilliseconds(10), 200);

        var lastMinute = statistics.Summarize(TimeSpan.FromMinutes(1));
        var lastFive = statistics.Summarize(TimeSpan.FromMinutes(5));
        _time.Advance(TimeSpan.FromHours(1));
        var later = statistics.Summarize(TimeSpan.FromHours(1));

        Assert.Equal(1, lastMinute.Requests);
        Assert.InRange(lastMinute.P95Ms!.Value, 10, 10.5);
        Assert.Equal(2, lastFive.Requests);
        Assert.InRange(lastFive.P95Ms!.Value, 900, 945);
        Assert.Equal(new RequestStatistics.Summary(0, 0, null), later);
    }
}
