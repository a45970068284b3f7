using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Dms.Web.Account;

/// <summary>
/// The first sign-in's challenge (the user it is for and the pool's session) as the new-password form carries it:
/// sealed with the web app's data protection keys and short-lived, so a post cannot name another user or make up a
/// session. (Cognito checks a session against its user; the local stand-in does not, so the web app must.)
/// </summary>
public sealed class SignInChallenges(IDataProtectionProvider protection, TimeProvider time)
{
    /// <summary>Cognito's sessions for a challenge last three minutes; the sealed form as long, plus a margin.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Dms.Web.SignIn.NewPasswordChallenge").ToTimeLimitedDataProtector();

    public sealed record Challenge(string Email, string Session);

    public string Seal(string email, string session) =>
        _protector.Protect(JsonSerializer.Serialize(new Challenge(email, session)), time.GetUtcNow() + Lifetime);

    /// <summary>The challenge a form carried, or null when it was not sealed here, was changed or is too old.</summary>
    public Challenge? Open(string? sealedChallenge)
    {
        if (string.IsNullOrEmpty(sealedChallenge))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Challenge>(_protector.Unprotect(sealedChallenge, out var expires)) is { } challenge && expires > time.GetUtcNow()
                ? challenge
                : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }
}
