using Dms.Worker.Processing;

namespace Dms.UnitTests.Worker.Processing;

public sealed class TenantSlotsTests
{
    [Fact]
    public void A_tenant_at_its_limit_is_busy_and_gets_no_slot_until_one_is_given_back()
    {
        var slots = new TenantSlots(perTenant: 2);
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var first = slots.TryEnter(a);
        using var second = slots.TryEnter(a);
        using var other = slots.TryEnter(b);

        var third = slots.TryEnter(a);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotNull(other);
        Assert.Null(third);
        Assert.Equal([a], slots.Busy);
        first.Dispose();
        first.Dispose();
        Assert.Empty(slots.Busy);
        using var entered = slots.TryEnter(a);
        Assert.NotNull(entered);
        Assert.Equal([a], slots.Busy);
        Assert.Null(slots.TryEnter(a));
    }

    [Fact]
    public void Giving_every_slot_back_leaves_no_tenant_busy()
    {
        var slots = new TenantSlots(perTenant: 1);
        var a = Guid.NewGuid();

        slots.TryEnter(a)!.Dispose();

        Assert.Empty(slots.Busy);
    }
}
