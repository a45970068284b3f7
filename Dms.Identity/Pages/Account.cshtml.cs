using Dms.Identity.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Dms.Identity.Pages;

/// <summary>
/// The signed-in user's account at the provider: who they are, and two-factor sign-in (a TOTP authenticator app, with
/// recovery codes shown once) turned on with a code the app shows, or off.
/// </summary>
[Authorize(AuthenticationSchemes = "Identity.Application")]
public sealed class AccountModel(UserManager<DmsUser> users, SignInManager<DmsUser> signIn) : PageModel
{
    private const int RecoveryCodeCount = 10;

    public string? Email { get; private set; }

    public string? Role { get; private set; }

    public Guid? TenantId { get; private set; }

    public bool TwoFactorEnabled { get; private set; }

    public int RecoveryCodesLeft { get; private set; }

    public string? AuthenticatorKey { get; private set; }

    public string? AuthenticatorUri { get; private set; }

    public IReadOnlyList<string> RecoveryCodes { get; private set; } = [];

    public string? Problem { get; private set; }

    [BindProperty]
    public string? Code { get; set; }

    public async Task<IActionResult> OnGetAsync() => await users.GetUserAsync(User) is { } user ? await ShowAsync(user) : Challenge();

    public async Task<IActionResult> OnPostTurnOnAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        var code = new string((Code ?? "").Where(char.IsAsciiDigit).ToArray());
        if (code.Length != 6 || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            Problem = "That code is not the one the app shows for this key now: check the key and type the code again.";
            return await ShowAsync(user);
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        // The stamp changed: this browser's sign-in is renewed with it, every other one ends at its next request.
        await signIn.RefreshSignInAsync(user);
        return await ShowAsync(user);
    }

    public async Task<IActionResult> OnPostTurnOffAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        // A new key next time: one that was shown before is not trusted again.
        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        return RedirectToPage();
    }

    private async Task<PageResult> ShowAsync(DmsUser user)
    {
        (Email, Role, TenantId) = (user.Email, user.Role, user.TenantId);
        TwoFactorEnabled = await users.GetTwoFactorEnabledAsync(user);
        RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
        if (!TwoFactorEnabled)
        {
            var key = await users.GetAuthenticatorKeyAsync(user);
            if (string.IsNullOrEmpty(key))
            {
                // A new key changes the security stamp: this browser's sign-in is renewed with it, or its next request
                // would find the stamp changed and end it.
                await users.ResetAuthenticatorKeyAsync(user);
                await signIn.RefreshSignInAsync(user);
                key = await users.GetAuthenticatorKeyAsync(user);
            }

            AuthenticatorKey = string.Join(' ', key!.Chunk(4).Select(chunk => new string(chunk))).ToLowerInvariant();
            AuthenticatorUri = $"otpauth://totp/Dms:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer=Dms&digits=6";
        }

        return Page();
    }
}
