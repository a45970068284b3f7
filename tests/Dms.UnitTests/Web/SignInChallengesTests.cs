using Dms.Web.Account;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Time.Testing;

namespace Dms.UnitTests.Web;

public sealed class SignInChallengesTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly IDataProtectionProvider _keys = new EphemeralDataProtectionProvider();

    [Fact]
    public void A_sealed_challenge_opens_to_the_user_and_session_it_was_made_for()
    {
        var challenges = new SignInChallenges(_keys, _time);

        var opened = challenges.Open(challenges.Seal("new@tenant.example", "pool-session"));

        Assert.Equal(new SignInChallenges.Challenge("new@tenant.example", "pool-session"), opened);
    }

    [Fact]
    public void A_made_up_changed_or_foreign_challenge_opens_to_nothing()
    {
        var challenges = new SignInChallenges(_keys, _time);
        var sealedChallenge = challenges.Seal("new@tenant.example", "pool-session");
        var otherInstallation = new SignInChallenges(new EphemeralDataProtectionProvider(), _time).Seal("viewer@demo.example", "made-up");

        Assert.Null(challenges.Open("made-up-challenge"));
        Assert.Null(challenges.Open(sealedChallenge[..^4] + (sealedChallenge[^4..] == "AAAA" ? "BBBB" : "AAAA")));
        Assert.Null(challenges.Open(otherInstallation));
        Assert.Null(challenges.Open(null));
    }

    [Fact]
    public void A_challenge_older_than_its_lifetime_opens_to_nothing()
    {
        var challenges = new SignInChallenges(_keys, _time);
        var sealedChallenge = challenges.Seal("new@tenant.example", "pool-session");

        _time.Advance(SignInChallenges.Lifetime + TimeSpan.FromSeconds(1));

        Assert.Null(challenges.Open(sealedChallenge));
    }
}
