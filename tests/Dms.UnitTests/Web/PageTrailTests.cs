using Dms.Web.Components;

namespace Dms.UnitTests.Web;

public sealed class PageTrailTests
{
    [Fact]
    public void Three_pages_forward_and_back_again_end_on_the_first_page()
    {
        var second = PageTrail.Forward(null, null);
        var third = PageTrail.Forward(second, "c2");

        Assert.Equal("~,c2", third);
        Assert.Equal(("c2", "~"), PageTrail.Back(third));
        Assert.Equal(((string?)null, (string?)null), PageTrail.Back(PageTrail.Back(third)!.Value.Before));
        Assert.Null(PageTrail.Back(null));
    }

    [Fact]
    public void Only_the_last_fifty_pages_are_kept()
    {
        string? trail = null;
        for (var page = 0; page < 80; page++)
        {
            trail = PageTrail.Forward(trail, $"c{page}");
        }

        Assert.Equal(PageTrail.MaxPages, trail!.Split(',').Length);
        Assert.Equal(("c79", string.Join(',', Enumerable.Range(30, 49).Select(p => $"c{p}"))), PageTrail.Back(trail));
    }
}
