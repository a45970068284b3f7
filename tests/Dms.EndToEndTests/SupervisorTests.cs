using Dms.AppHost.Run;

namespace Dms.EndToEndTests;

/// <summary>The run's rules for a resource that exits after the system was ready; the end-to-end tests kill real processes.</summary>
public sealed class SupervisorTests
{
    private static readonly RunSettings Settings = new(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(2), CrashLoopExits: 5, CrashLoopWindow: TimeSpan.FromMinutes(2));

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void An_exit_is_started_again_after_a_second_once_said_and_said_again_when_healthy()
    {
        var clock = new Clock();
        var supervisor = new Supervisor(Settings, clock);

        var decision = supervisor.Exited("worker", "worker-abc", -1);
        var seenAgain = supervisor.Exited("worker", "worker-abc", -1);
        var early = supervisor.DueRestarts();
        clock.Now += TimeSpan.FromSeconds(1);
        var due = supervisor.DueRestarts();
        var dueTwice = supervisor.DueRestarts();
        clock.Now += TimeSpan.FromSeconds(5);

        Assert.Equal("worker exited with code -1; starting it again in 1 s (1st time in 2 min).", decision?.Line);
        Assert.Null(decision?.CrashLoop);
        Assert.Null(seenAgain);
        Assert.Empty(early);
        Assert.Equal([("worker", "worker-abc")], due);
        Assert.Empty(dueTwice);
        Assert.Equal("worker is healthy again, 6 s after it exited.", supervisor.Healthy("worker"));
        Assert.Null(supervisor.Healthy("worker"));
    }

    [Fact]
    public void Each_exit_in_the_window_doubles_the_wait_and_the_fifth_is_a_crash_loop()
    {
        var clock = new Clock();
        var supervisor = new Supervisor(Settings, clock);
        var lines = new List<string?>();
        Supervisor.Decision? last = null;
        for (var exit = 1; exit <= 5; exit++)
        {
            last = supervisor.Exited("postgres", "postgres-1", 137);
            lines.Add(last?.Line);
            clock.Now += Supervisor.BackOff(exit);
            supervisor.DueRestarts();
            clock.Now += TimeSpan.FromSeconds(1);
            supervisor.Healthy("postgres");
        }

        Assert.Equal("postgres exited with code 137; starting it again in 2 s (2nd time in 2 min).", lines[1]);
        Assert.Equal("postgres exited with code 137; starting it again in 8 s (4th time in 2 min).", lines[3]);
        Assert.Equal("it exited with code 137, the 5th time in 2 min: a crash loop (Dms:Run:CrashLoopExits)", last?.CrashLoop);
    }

    [Fact]
    public void Exits_older_than_the_window_are_forgotten()
    {
        var clock = new Clock();
        var supervisor = new Supervisor(Settings, clock);
        for (var exit = 0; exit < 4; exit++)
        {
            supervisor.Exited("api", "api-1", 1);
            clock.Now += TimeSpan.FromSeconds(40);
            supervisor.DueRestarts();
            supervisor.Healthy("api");
        }

        // At 160 s the exit at 0 s has left the two-minute window: this is the fourth, not the fifth (a crash loop).
        var decision = supervisor.Exited("api", "api-1", 1);

        Assert.Equal("api exited with code 1; starting it again in 8 s (4th time in 2 min).", decision?.Line);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(40, 30)]
    public void The_back_off_doubles_from_a_second_to_at_most_thirty(int exits, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Supervisor.BackOff(exits));
}
