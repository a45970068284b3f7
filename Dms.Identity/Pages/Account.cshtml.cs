using Dms.Identity.Accounts;
using Dms.Identity.Protocol;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Dms.Identity.Pages;

/// <summary>
/// The signed-in user's account at the provider: who they are; their password, changed with the current one (every
/// other sign-in ends); two-factor sign-in (a TOTP authenticator app, with recovery codes shown once) turned on with
/// a code the app shows, or off; and their sign-ins (browsers and devices), each of which they can end.
/// </summary>
[Authorize(AuthenticationSchemes = "Identity.Application")]
public sealed class AccountModel(UserManager<DmsUser> users, SignInManager<DmsUser> signIn, UserSessions sessions, IOptions<ProviderOptions> options) : PageModel
{
    private const int RecoveryCodeCount = 10;

    /// <summary>Where the web app is: the origin of the first address it takes sign-ins back at.</summary>
    public string? AppAddress => options.Value.RedirectUris.FirstOrDefault() is { } redirect && Uri.TryCreate(redirect, UriKind.Absolute, out var uri)
        ? uri.GetLeftPart(UriPartial.Authority) + "/"
        : null;

    public IReadOnlyList<UserSession> Sessions { get; private set; } = [];

    public string? Done { get; private set; }

    public IReadOnlyList<string> PasswordProblems { get; private set; } = [];

    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? Confirmation { get; set; }

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

    /// <summary>A new password, given the current one (a wrong one counts towards the lockout); every other sign-in ends.</summary>
    public async Task<IActionResult> OnPostChangePasswordAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (CurrentPassword is not { Length: > 0 and <= 1024 } current || !(await signIn.CheckPasswordSignInAsync(user, current, lockoutOnFailure: true)).Succeeded)
        {
            PasswordProblems = ["That is not your current password."];
        }
        else if (NewPassword is not { Length: > 0 and <= 1024 } password || password != Confirmation)
        {
            PasswordProblems = ["The two new passwords are not the same."];
        }
        else if (await users.ChangePasswordAsync(user, current, password) is { Succeeded: false } changed)
        {
            PasswordProblems = [.. changed.Errors.Select(e => e.Description)];
        }
        else
        {
            await sessions.EndAllAsync(user, await CurrentSessionAsync(), HttpContext.RequestAborted);
            await signIn.RefreshSignInAsync(user);
            Done = "Your password is changed. Every other sign-in has ended.";
        }

        (CurrentPassword, NewPassword, Confirmation) = (null, null, null);
        return await ShowAsync(user);
    }

    /// <summary>Ends one of the user's sign-ins: another browser or a device. This browser's ends with "Sign out".</summary>
    public async Task<IActionResult> OnPostEndSessionAsync(string? id)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (id is { Length: > 0 and <= 128 } && id != await CurrentSessionAsync())
        {
            await sessions.EndAsync(user, id, HttpContext.RequestAborted);
            Done = "That sign-in has ended.";
        }

        return await ShowAsync(user);
    }

    private async Task<string?> CurrentSessionAsync() =>
        ProviderSessions.IdOf((await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme)).Properties);

    private async Task<PageResult> ShowAsync(DmsUser user)
    {
        Sessions = await sessions.ListAsync(user, await CurrentSessionAsync(), HttpContext.RequestAborted);
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
