using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;

namespace Dms.Identity.Accounts;

/// <summary>
/// Every hour, forgets what can no longer be used: sessions past their end, and the tokens and grants OpenIddict
/// keeps once they are spent, revoked or expired (older than a day, so a refresh token's replay is still recognised
/// as one for a while). Without it the tables grow with every sign-in and refresh, and so does every sign-out's walk
/// over a user's grants.
/// </summary>
public sealed class ProviderHousekeeping(IServiceScopeFactory scopes, TimeProvider time, ILogger<ProviderHousekeeping> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    public static readonly TimeSpan KeptAfterUse = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await SweepAsync(scopes, time, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next hour tries again: a database away for a while costs nothing but a larger sweep.
                log.LogWarning(e, "The provider's sweep of expired sessions, tokens and grants failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One sweep; what it removed, for the log and the tests.</summary>
    public static async Task<(int Sessions, long Tokens, long Authorizations)> SweepAsync(IServiceScopeFactory scopes, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDatabase>();
        var now = time.GetUtcNow();
        var sessions = await db.Sessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        var threshold = now - KeptAfterUse;
        var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, cancellationToken);
        var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, cancellationToken);
        return (sessions, tokens, authorizations);
    }
}
