using Dms.Worker.Processing;

namespace Dms.UnitTests.Worker.Processing;

public sealed class TenantSlotsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_tenant_at_its_limit_is_busy_and_its_next_job_waits_for_a_slot()
    {
        var slots = new TenantSlots(perTenant: 2);
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var first = await slots.EnterAsync(a, Token);
        using var second = await slots.EnterAsync(a, Token);
        using var other = await slots.EnterAsync(b, Token);

        var third = slots.EnterAsync(a, Token);

        Assert.Equal([a], slots.Busy);
        Assert.False(third.IsCompleted);
        first.Dispose();
        first.Dispose();
        using var entered = await third;
        Assert.Equal([a], slots.Busy);
    }

    [Fact]
    public async Task Giving_every_slot_back_leaves_no_tenant_busy()
    {
        var slots = new TenantSlots(perTenant: 1);
        var a = Guid.NewGuid();

        (await slots.EnterAsync(a, Token)).Dispose();

        Assert.Empty(slots.Busy);
    }
}
