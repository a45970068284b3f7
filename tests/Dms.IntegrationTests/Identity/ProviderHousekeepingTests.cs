using System.Net;
using Dms.Identity.Accounts;
using Dms.IntegrationTests.Fixtures;
using Dms.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dms.IntegrationTests.Identity;

/// <summary>The provider's hourly sweep forgets sessions past their end and the tokens and grants that can no longer be used, and nothing else.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ProviderHousekeepingTests(TemporaryPostgres postgres) : IAsyncLifetime
{
    private ProviderScenario _provider = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _provider = await ProviderScenario.StartAsync(postgres);

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task Expired_sessions_and_spent_tokens_go_and_a_live_sign_in_stays()
    {
        using var gone = _provider.NewBrowser();
        await _provider.SignInWithCodeAsync(gone, "viewer@demo.dms.local");
        using (await gone.PostAsync("/connect/endsession", [], Cancellation))
        {
        }

        using var live = _provider.NewBrowser();
        var liveTokens = await _provider.SignInWithCodeAsync(live, "editor@demo.dms.local");
        var scopes = _provider.Services.GetRequiredService<IServiceScopeFactory>();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDatabase>();
            db.Sessions.Add(new ProviderSession
            {
                Id = "ended-yesterday", UserId = "nobody", Ticket = [1], StartedAt = DateTimeOffset.UtcNow.AddDays(-2), ExpiresAt = DateTimeOffset.UtcNow.AddDays(-1),
            });
            await db.SaveChangesAsync(Cancellation);
        }

        var now = await ProviderHousekeeping.SweepAsync(scopes, TimeProvider.System, Cancellation);

        Assert.Equal(1, now.Sessions);
        await using (var after = scopes.CreateAsyncScope())
        {
            Assert.False(await after.ServiceProvider.GetRequiredService<IdentityDatabase>().Sessions.AnyAsync(s => s.Id == "ended-yesterday", Cancellation));
        }

        // The editor's sign-in (hours from its end) and its refresh token survive the sweep.
        using var account = await live.GetAsync("/account", Cancellation);
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.True((await _provider.RefreshAsync(liveTokens.GetProperty("refresh_token").GetString()!)).TryGetProperty("id_token", out _));

        // Two days on: the signed-out grant, its spent code and revoked tokens are past the day they are kept.
        var later = await ProviderHousekeeping.SweepAsync(scopes, new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(2)), Cancellation);
        Assert.True(later.Tokens > 0, $"No token pruned: {later}");
        Assert.True(later.Authorizations > 0, $"No grant pruned: {later}");
    }
}
