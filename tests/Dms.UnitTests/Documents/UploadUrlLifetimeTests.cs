using Dms.Documents;

namespace Dms.UnitTests.Documents;

public sealed class UploadUrlLifetimeTests
{
    private static readonly DocumentOptions Limits = new() { UploadUrlLifetime = TimeSpan.FromMinutes(15), SlowestUploadBytesPerSecond = 1024 * 1024 };

    [Fact]
    public void A_small_file_gets_the_base_lifetime_and_a_large_one_time_to_send_it_at_the_slowest_speed_allowed()
    {
        Assert.Equal(TimeSpan.FromMinutes(15), Limits.UploadUrlLifetimeFor(0));
        Assert.Equal(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(2000), Limits.UploadUrlLifetimeFor(2000L * 1024 * 1024));
    }

    [Fact]
    public void No_upload_url_lives_longer_than_seven_days()
    {
        Assert.Equal(TimeSpan.FromDays(7), Limits.UploadUrlLifetimeFor(long.MaxValue));
    }
}
