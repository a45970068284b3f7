using Dms.Queue;
using Dms.Worker.Processing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dms.UnitTests.Worker.Processing;

public sealed class ProcessingLoopHealthCheckTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-27T12:00:00Z"));
    private readonly ProcessingHeartbeat _heartbeat = new();
    private readonly ProcessingLoopHealthCheck _check;

    public ProcessingLoopHealthCheckTests() =>
        _check = new ProcessingLoopHealthCheck(_heartbeat, Options.Create(new ProcessingOptions { PollInterval = TimeSpan.FromSeconds(5) }), _time);

    [Fact]
    public async Task Unhealthy_before_the_first_turn()
    {
        var result = await _check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public async Task Healthy_after_a_recent_turn_and_reports_the_queue()
    {
        _heartbeat.Beat(_time.GetUtcNow(), new QueueDepth(Waiting: 7, DeadLetters: 2));
        _time.Advance(TimeSpan.FromSeconds(14));

        var result = await _check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Contains("7 jobs waiting, 2 dead letters", result.Description);
    }

    [Fact]
    public async Task Unhealthy_with_the_last_error_when_turns_stop()
    {
        _heartbeat.Beat(_time.GetUtcNow(), new QueueDepth(0, 0));
        _heartbeat.Fail("database is down");
        _time.Advance(TimeSpan.FromSeconds(16));

        var result = await _check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("database is down", result.Description);
    }
}
