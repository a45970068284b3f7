using Dms.Web.Account;
using Microsoft.AspNetCore.Authentication;

namespace Dms.UnitTests.Web;

/// <summary>
/// The session's refresh decisions. The provider's side (Dms.Identity, Cognito) is not called here: what it answers
/// a refresh is a function these tests stand in for; the sign-in browser tests run against Dms.Identity.
/// </summary>
public sealed class SessionTokensTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static AuthenticationProperties SignedIn(TimeSpan left, string? refreshToken = "refresh-1")
    {
        var properties = new AuthenticationProperties();
        SessionTokens.Store(properties, new PoolTokens("id-1", refreshToken, Now + left));
        return properties;
    }

    [Fact]
    public async Task A_token_with_time_left_is_used_as_it_is_and_the_pool_is_not_asked()
    {
        var properties = SignedIn(TimeSpan.FromMinutes(30));
        var asked = 0;

        var validation = await SessionTokens.ValidateAsync(properties, Now, _ => { asked++; return Task.FromResult(new SignInOutcome()); });

        Assert.Equal(SessionTokens.Validation.Valid, validation);
        Assert.Equal(0, asked);
        Assert.Equal("id-1", properties.GetTokenValue("id_token"));
    }

    [Fact]
    public async Task A_token_about_to_expire_is_traded_for_a_new_one_and_the_refresh_token_is_kept()
    {
        var properties = SignedIn(TimeSpan.FromMinutes(2));
        string? traded = null;

        var validation = await SessionTokens.ValidateAsync(properties, Now, refresh =>
        {
            traded = refresh;
            return Task.FromResult(new SignInOutcome(new PoolTokens("id-2", null, Now.AddHours(1))));
        });

        Assert.Equal(SessionTokens.Validation.Refreshed, validation);
        Assert.Equal("refresh-1", traded);
        Assert.Equal("id-2", properties.GetTokenValue("id_token"));
        Assert.Equal("refresh-1", properties.GetTokenValue("refresh_token"));
        Assert.Equal(Now.AddHours(1), DateTimeOffset.Parse(properties.GetTokenValue("expires_at")!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_expired_token_whose_refresh_the_pool_refuses_ends_the_session()
    {
        var properties = SignedIn(TimeSpan.FromMinutes(-1));

        var validation = await SessionTokens.ValidateAsync(properties, Now, _ => Task.FromResult(new SignInOutcome(Problem: "refused")));

        Assert.Equal(SessionTokens.Validation.Ended, validation);
    }

    [Fact]
    public async Task An_expired_token_without_a_refresh_token_ends_the_session()
    {
        var properties = SignedIn(TimeSpan.FromMinutes(-1), refreshToken: null);

        var validation = await SessionTokens.ValidateAsync(properties, Now, _ => Task.FromResult(new SignInOutcome(new PoolTokens("id-2", null, Now.AddHours(1)))));

        Assert.Equal(SessionTokens.Validation.Ended, validation);
    }

    [Fact]
    public async Task A_pool_that_cannot_answer_a_refresh_keeps_the_session_while_the_id_token_lasts()
    {
        var properties = SignedIn(TimeSpan.FromMinutes(2));
        var unavailable = new SignInOutcome(Problem: "The sign-in service cannot be reached; try again in a moment.", Unavailable: true);

        var validation = await SessionTokens.ValidateAsync(properties, Now, _ => Task.FromResult(unavailable));

        Assert.Equal(SessionTokens.Validation.Valid, validation);
        Assert.Equal("id-1", properties.GetTokenValue("id_token"));
    }

    [Fact]
    public async Task A_pool_that_cannot_answer_once_the_id_token_expired_ends_the_session()
    {
        var properties = SignedIn(TimeSpan.FromMinutes(-1));

        var validation = await SessionTokens.ValidateAsync(properties, Now, _ => Task.FromResult(new SignInOutcome(Unavailable: true)));

        Assert.Equal(SessionTokens.Validation.Ended, validation);
    }
}
