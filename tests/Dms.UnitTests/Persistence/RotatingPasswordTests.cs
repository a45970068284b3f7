using Dms.Persistence;
using Microsoft.Extensions.Time.Testing;

namespace Dms.UnitTests.Persistence;

public sealed class RotatingPasswordTests : IDisposable
{
    private readonly string _file = Path.GetTempFileName();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => File.Delete(_file);

    private RotatingPassword Password() =>
        new(new DatabasePasswordOptions { PasswordFile = _file, PasswordRefresh = TimeSpan.FromMinutes(1) }, _time);

    [Fact]
    public async Task The_source_is_read_again_when_its_refresh_comes_round_and_not_before()
    {
        await File.WriteAllTextAsync(_file, "first", Token);
        var password = Password();
        Assert.Equal("first", await password.GetAsync(Token));

        await File.WriteAllTextAsync(_file, "second", Token);
        var beforeRefresh = await password.GetAsync(Token);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("first", beforeRefresh);
        Assert.Equal("second", await password.GetAsync(Token));
    }

    [Fact]
    public async Task A_refused_password_is_read_again_at_the_next_open_at_most_four_times_a_second()
    {
        await File.WriteAllTextAsync(_file, "old", Token);
        var password = Password();
        await password.GetAsync(Token);
        await File.WriteAllTextAsync(_file, "new", Token);

        password.Refused();
        var tooSoon = await password.GetAsync(Token);
        _time.Advance(TimeSpan.FromMilliseconds(250));

        Assert.Equal("old", tooSoon);
        Assert.Equal("new", await password.GetAsync(Token));
    }

    [Fact]
    public async Task A_source_that_cannot_be_read_keeps_the_password_read_last()
    {
        await File.WriteAllTextAsync(_file, "kept", Token);
        var password = Password();
        await password.GetAsync(Token);
        File.Delete(_file);

        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal("kept", await password.GetAsync(Token));
    }

    /// <summary>
    /// A password file being rewritten (truncated, then written) is empty for a moment: read then, the empty text was
    /// taken as the password, and the opens that used it failed (a full test run saw a 500 during a rotation there).
    /// </summary>
    [Fact]
    public async Task An_empty_source_a_rewrite_leaves_for_a_moment_keeps_the_password_read_last()
    {
        await File.WriteAllTextAsync(_file, "kept", Token);
        var password = Password();
        await password.GetAsync(Token);
        await File.WriteAllTextAsync(_file, "  \n", Token);

        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal("kept", await password.GetAsync(Token));
    }
}
