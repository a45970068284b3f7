using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace Dms.Identity.Accounts;

/// <summary>
/// Codes of an authenticator app (TOTP, RFC 6238: six digits, 30-second steps, one step either side for a clock that
/// is a little off), each good once: the step of the last code used is kept with the account, and a code of that
/// step or an earlier one is refused. Identity's own provider takes a code again for as long as it is current, so a
/// code seen over a shoulder or typed into a phishing page would sign in a second time with the password.
/// </summary>
public sealed class AuthenticatorCodes(TimeProvider time) : IUserTwoFactorTokenProvider<DmsUser>
{
    private static readonly VerificationWindow OneStepEitherSide = new(previous: 1, future: 1);

    /// <summary>The app makes the codes; the provider makes none.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<DmsUser> manager, DmsUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<DmsUser> manager, DmsUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key) || token.Length != 6 || !token.All(char.IsAsciiDigit)
            || !new Totp(Base32Encoding.ToBytes(key)).VerifyTotp(time.GetUtcNow().UtcDateTime, token, out var step, OneStepEitherSide)
            || step <= user.LastAuthenticatorStep)
        {
            return false;
        }

        // Two requests with the same code at once: the account's concurrency stamp lets only one of them save.
        user.LastAuthenticatorStep = step;
        return (await manager.UpdateAsync(user)).Succeeded;
    }

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<DmsUser> manager, DmsUser user) =>
        !string.IsNullOrEmpty(await manager.GetAuthenticatorKeyAsync(user));
}
