using System.Globalization;
using Microsoft.AspNetCore.Authentication;

namespace Dms.Web.Account;

/// <summary>
/// The pool's tokens kept in the session (<see cref="SessionStore"/>), and their refresh: a request that comes within
/// <see cref="RefreshBefore"/> of the ID token's expiry first trades the refresh token for a new ID token, so a user
/// at work is never sent to sign in again while the session lasts (<see cref="SessionLifetime"/>). A refresh the pool
/// refuses (the user disabled, the refresh token revoked or expired) ends the session; a pool that cannot answer
/// (down, throttling) does not: the session goes on until its ID token really expires, and the next request asks again.
/// </summary>
public static class SessionTokens
{
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    /// <summary>How long a sign-in lasts at most, refreshes included (the pool's refresh tokens last longer).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    private const string IdToken = "id_token";
    private const string RefreshToken = "refresh_token";
    private const string ExpiresAt = "expires_at";

    public static void Store(AuthenticationProperties properties, PoolTokens tokens)
    {
        var stored = new List<AuthenticationToken>
        {
            new() { Name = IdToken, Value = tokens.IdToken },
            new() { Name = ExpiresAt, Value = tokens.ExpiresAt.ToString("o", CultureInfo.InvariantCulture) },
        };
        if ((tokens.RefreshToken ?? properties.GetTokenValue(RefreshToken)) is { } refresh)
        {
            stored.Add(new AuthenticationToken { Name = RefreshToken, Value = refresh });
        }

        properties.StoreTokens(stored);
    }

    public enum Validation
    {
        /// <summary>The ID token has time left: nothing to do.</summary>
        Valid,

        /// <summary>The tokens were refreshed: the cookie is to be written again.</summary>
        Refreshed,

        /// <summary>The session is over: the user signs in again.</summary>
        Ended,
    }

    /// <param name="refresh">Trades a refresh token for new tokens at the pool: its tokens, or why not (refused or unavailable).</param>
    public static async Task<Validation> ValidateAsync(AuthenticationProperties properties, DateTimeOffset now, Func<string, Task<SignInOutcome>> refresh)
    {
        if (properties.GetTokenValue(ExpiresAt) is not { } expires
            || !DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiresAt))
        {
            return Validation.Ended;
        }

        if (expiresAt - now > RefreshBefore)
        {
            return Validation.Valid;
        }

        if (properties.GetTokenValue(RefreshToken) is not { } refreshToken)
        {
            return Validation.Ended;
        }

        var answer = await refresh(refreshToken);
        if (answer.Tokens is { } tokens)
        {
            Store(properties, tokens);
            return Validation.Refreshed;
        }

        // The API takes the ID token until it expires: a pool that could not answer ends nothing before then.
        return answer.Unavailable && expiresAt > now ? Validation.Valid : Validation.Ended;
    }
}
