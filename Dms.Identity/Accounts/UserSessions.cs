using Dms.Identity.Protocol;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Dms.Identity.Accounts;

/// <summary>One of a user's sign-ins as their account page lists it: a browser's at the provider, or a device's (<c>dms login</c>).</summary>
public sealed record UserSession(string Id, bool IsDevice, string Description, string? Address, DateTimeOffset StartedAt, bool IsThisOne);

/// <summary>
/// A user's sign-ins, and ending them: one (the account page's "sign out" beside it), all but this browser's (a
/// changed password), or all (an account disabled, reset or removed). Ending a sign-in deletes its session row, so a
/// copy of its cookie opens nothing, and revokes its grants, so its refresh tokens are refused.
/// </summary>
public sealed class UserSessions(IdentityDatabase db, Authorizations authorizations, UserManager<DmsUser> users, TimeProvider time)
{
    public async Task<IReadOnlyList<UserSession>> ListAsync(DmsUser user, string? currentSession, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var browsers = await db.Sessions.AsNoTracking()
            .Where(s => s.UserId == user.Id && s.ExpiresAt > now)
            .OrderByDescending(s => s.StartedAt)
            .Select(s => new { s.Id, s.UserAgent, s.Address, s.StartedAt })
            .ToListAsync(cancellationToken);
        var devices = await authorizations.DevicesAsync(user.Id, cancellationToken);
        return
        [
            .. browsers.Select(s => new UserSession(s.Id, false, Browsers.Describe(s.UserAgent), s.Address, s.StartedAt, s.Id == currentSession)),
            .. devices.Select(d => new UserSession(d.Id, true, $"{d.Client} (a device)", null, d.CreatedAt, false)),
        ];
    }

    /// <summary>Ends one of the user's sign-ins; another user's id ends nothing.</summary>
    public async Task EndAsync(DmsUser user, string id, CancellationToken cancellationToken)
    {
        if (await db.Sessions.Where(s => s.Id == id && s.UserId == user.Id).ExecuteDeleteAsync(cancellationToken) > 0)
        {
            await authorizations.RevokeSessionAsync(user.Id, id, cancellationToken);
        }
        else
        {
            await authorizations.RevokeAsync(user.Id, id, cancellationToken);
        }
    }

    /// <summary>
    /// Ends every sign-in of the user's but <paramref name="keptSession"/> (none: all), and changes their security
    /// stamp, so a sign-in in progress elsewhere (a first sign-in's step, a two-factor step) ends at its next request.
    /// </summary>
    public async Task EndAllAsync(DmsUser user, string? keptSession, CancellationToken cancellationToken)
    {
        await db.Sessions.Where(s => s.UserId == user.Id && s.Id != keptSession).ExecuteDeleteAsync(cancellationToken);
        await authorizations.RevokeAllAsync(user.Id, keptSession, cancellationToken);
        await users.UpdateSecurityStampAsync(user);
    }

    /// <summary>"Firefox on Linux": enough for a person to tell their sign-ins apart, from what the browser said of itself.</summary>
    internal static class Browsers
    {
        private static readonly (string Token, string Name)[] Names =
            [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari")];

        private static readonly (string Token, string Name)[] Systems =
            [("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Windows", "Windows"), ("Mac OS X", "macOS"), ("Linux", "Linux")];

        public static string Describe(string? userAgent)
        {
            if (string.IsNullOrEmpty(userAgent))
            {
                return "A browser that did not name itself";
            }

            var browser = Names.FirstOrDefault(n => userAgent.Contains(n.Token, StringComparison.Ordinal)).Name;
            var system = Systems.FirstOrDefault(n => userAgent.Contains(n.Token, StringComparison.Ordinal)).Name;
            return (browser, system) switch
            {
                (null, null) => userAgent.Length > 60 ? userAgent[..60] + "…" : userAgent,
                (null, _) => $"A browser on {system}",
                (_, null) => browser,
                _ => $"{browser} on {system}",
            };
        }
    }
}
