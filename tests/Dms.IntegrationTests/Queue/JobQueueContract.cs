using System.Diagnostics;
using Dms.Queue;

namespace Dms.IntegrationTests.Queue;

/// <summary>What every queue adapter must do, whatever carries the jobs.</summary>
public abstract class JobQueueContract
{
    /// <summary>How long a taken job stays hidden in these tests.</summary>
    protected static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    protected abstract IJobQueue Queue { get; }

    /// <summary>Writes a job the way the application does (a row in the document's transaction, or a message on the queue).</summary>
    protected abstract Task<JobMessage> EnqueueAsync(int version);

    public enum Tenant
    {
        A,
        B,
    }

    /// <summary>Writes <paramref name="count"/> jobs of one of two tenants as the document use cases do; returns the tenant's id.</summary>
    protected abstract Task<Guid> EnqueueManyAsync(Tenant tenant, int count);

    /// <summary>One consumer's next take, with whatever runs beside the queue in production (the SQS outbox relay).</summary>
    protected virtual Task<LeasedJob?> TakeNextAsync() => Queue.TakeAsync(TimeSpan.FromSeconds(5), Token);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_taken_job_is_hidden_from_other_takers_until_completed()
    {
        var message = await EnqueueAsync(1);

        var job = await Queue.TakeAsync(TimeSpan.FromSeconds(5), Token);
        var second = await Queue.TakeAsync(TimeSpan.Zero, Token);
        Assert.NotNull(job);
        await Queue.CompleteAsync(job, Token);

        Assert.Equal(message, job.Message);
        Assert.Equal(1, job.Attempt);
        Assert.Null(second);
        Assert.Null(await Queue.TakeAsync(TimeSpan.FromSeconds(Lease.TotalSeconds + 1), Token));
    }

    [Fact]
    public async Task Two_takers_get_different_jobs()
    {
        await EnqueueAsync(1);
        await EnqueueAsync(2);

        var taken = await Task.WhenAll(Queue.TakeAsync(TimeSpan.FromSeconds(5), Token), Queue.TakeAsync(TimeSpan.FromSeconds(5), Token));

        Assert.All(taken, Assert.NotNull);
        Assert.Equal([1, 2], taken.Select(j => j!.Message.Version).Order());
        foreach (var job in taken)
        {
            await Queue.CompleteAsync(job!, Token);
        }
    }

    [Fact]
    public async Task A_job_whose_lease_runs_out_comes_back_with_its_attempt_counted()
    {
        var message = await EnqueueAsync(1);

        var first = await Queue.TakeAsync(TimeSpan.FromSeconds(5), Token);
        var again = await Queue.TakeAsync(Lease * 4, Token);

        Assert.NotNull(first);
        Assert.NotNull(again);
        Assert.Equal(message, again.Message);
        Assert.Equal(2, again.Attempt);
        await Queue.CompleteAsync(again, Token);
    }

    [Fact]
    public async Task Extending_the_lease_keeps_the_job_hidden()
    {
        await EnqueueAsync(1);
        var job = await Queue.TakeAsync(TimeSpan.FromSeconds(5), Token);
        Assert.NotNull(job);

        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(Lease / 2, Token);
            Assert.True(await Queue.ExtendLeaseAsync(job, Token));
        }

        Assert.Null(await Queue.TakeAsync(TimeSpan.Zero, Token));
        await Queue.CompleteAsync(job, Token);
    }

    [Fact]
    public async Task A_released_job_is_taken_again_at_once()
    {
        var message = await EnqueueAsync(1);
        var job = await Queue.TakeAsync(TimeSpan.FromSeconds(5), Token);
        Assert.NotNull(job);

        await Queue.ReleaseAsync(job, Token);
        var again = await Queue.TakeAsync(TimeSpan.FromSeconds(1), Token);

        Assert.Equal(message, again?.Message);
        await Queue.CompleteAsync(again!, Token);
    }

    [Fact]
    public async Task A_postponed_job_stays_hidden_for_its_delay_and_comes_back_with_the_take_not_counted()
    {
        var message = await EnqueueAsync(1);
        var job = await Queue.TakeAsync(TimeSpan.FromSeconds(5), Token);
        Assert.NotNull(job);

        await Queue.PostponeAsync(job, TimeSpan.FromSeconds(2), Token);
        var postponed = Stopwatch.StartNew();
        var meanwhile = await Queue.TakeAsync(TimeSpan.FromSeconds(1), Token);
        var again = await Queue.TakeAsync(TimeSpan.FromSeconds(10), Token);
        var hidden = postponed.Elapsed;

        Assert.Null(meanwhile);
        Assert.NotNull(again);
        Assert.True(hidden >= TimeSpan.FromSeconds(1.5), $"The postponed job came back after {hidden.TotalSeconds:0.0} s.");
        Assert.Equal(message, again.Message);
        Assert.Equal(1, again.Attempt);
        await Queue.CompleteAsync(again, Token);
    }

    [Fact]
    public async Task Postponing_keeps_the_attempts_a_job_made_before()
    {
        await EnqueueAsync(1);
        var first = await Queue.TakeAsync(TimeSpan.FromSeconds(5), Token);
        var second = await Queue.TakeAsync(Lease * 4, Token);
        Assert.NotNull(first);
        Assert.NotNull(second);

        await Queue.PostponeAsync(second, TimeSpan.FromSeconds(1), Token);
        var third = await Queue.TakeAsync(TimeSpan.FromSeconds(10), Token);
        Assert.NotNull(third);
        await Queue.PostponeAsync(third, TimeSpan.Zero, Token);
        var fourth = await Queue.TakeAsync(TimeSpan.FromSeconds(10), Token);

        Assert.Equal([1, 2, 2, 2], new[] { first.Attempt, second.Attempt, third.Attempt, fourth?.Attempt ?? 0 });
        await Queue.CompleteAsync(fourth!, Token);
        Assert.Equal(new QueueDepth(0, 0), await Queue.GetDepthAsync(Token));
    }

    [Fact]
    public async Task A_dead_letter_keeps_the_job_its_attempts_and_error_until_redriven()
    {
        var message = await EnqueueAsync(1);
        var job = await Queue.TakeAsync(TimeSpan.FromSeconds(5), Token);
        Assert.NotNull(job);

        await Queue.DeadLetterAsync(job, "Malware scan timeout after 5 attempts: clamd did not answer", Token);
        var letters = await Queue.ListDeadLettersAsync(10, Token);
        var depth = await Queue.GetDepthAsync(Token);
        var meanwhile = await Queue.TakeAsync(TimeSpan.Zero, Token);

        var letter = Assert.Single(letters);
        Assert.Equal(message, letter.Message);
        Assert.Equal(1, letter.Attempts);
        Assert.Equal("Malware scan timeout after 5 attempts: clamd did not answer", letter.Error);
        Assert.Equal(new QueueDepth(0, 1), depth);
        Assert.Null(meanwhile);

        Assert.Equal(1, await Queue.RedriveAsync(letter.Id, Token));
        var redriven = await Queue.TakeAsync(TimeSpan.FromSeconds(5), Token);
        Assert.Equal(message, redriven?.Message);
        await Queue.CompleteAsync(redriven!, Token);
        Assert.Empty(await Queue.ListDeadLettersAsync(10, Token));
    }

    [Fact]
    public async Task Purging_deletes_one_dead_letter_or_all()
    {
        foreach (var version in new[] { 1, 2, 3 })
        {
            await EnqueueAsync(version);
            var job = await Queue.TakeAsync(TimeSpan.FromSeconds(5), Token);
            await Queue.DeadLetterAsync(job!, $"failure {version}", Token);
        }

        var first = (await Queue.ListDeadLettersAsync(10, Token)).First();
        Assert.Equal(1, await Queue.PurgeAsync(first.Id, Token));
        Assert.Equal(2, (await Queue.ListDeadLettersAsync(10, Token)).Count);
        Assert.Equal(2, await Queue.PurgeAsync(null, Token));
        Assert.Empty(await Queue.ListDeadLettersAsync(10, Token));
        Assert.Equal(0, await Queue.RedriveAsync(null, Token));
    }

    [Fact]
    public async Task An_idle_taker_gets_a_new_job_without_waiting_out_its_wait()
    {
        var wait = TimeSpan.FromSeconds(20);
        var clock = Stopwatch.StartNew();
        var taking = Queue.TakeAsync(wait, Token);
        await Task.Delay(500, Token);

        var message = await EnqueueAsync(1);
        var job = await taking;

        Assert.Equal(message, job?.Message);
        Assert.True(clock.Elapsed < wait / 2, $"The taker waited {clock.Elapsed} for a job written after 0.5 s.");
        await Queue.CompleteAsync(job!, Token);
    }

    [Fact]
    public async Task A_tenants_one_job_is_taken_within_two_takes_of_another_tenants_two_hundred()
    {
        var a = await EnqueueManyAsync(Tenant.A, 200);
        var first = await TakeNextAsync();

        var b = await EnqueueManyAsync(Tenant.B, 1);
        var next = new[] { await TakeNextAsync(), await TakeNextAsync() };

        Assert.Equal(a, first?.Message.TenantId);
        Assert.Contains(next, job => job?.Message.TenantId == b);
    }
}
