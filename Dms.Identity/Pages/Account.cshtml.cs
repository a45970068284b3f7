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
/// a code the app shows, or off; passkeys added and removed; and their sign-ins (browsers and devices), each of which
/// they can end.
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

    public IReadOnlyList<UserPasskeyInfo> Passkeys { get; private set; } = [];

    public string? PasskeyProblem { get; private set; }

    /// <summary>What the browser's WebAuthn answered (<c>navigator.credentials.create</c>), as JSON: a new passkey.</summary>
    [BindProperty]
    public string? Credential { get; set; }

    [BindProperty]
    public string? PasskeyName { get; set; }

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

    /// <summary>What the browser asks the authenticator to make: a key for this site and this user, against a challenge kept in a cookie.</summary>
    public async Task<IActionResult> OnPostPasskeyCreationOptionsAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        return Content(await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity { Id = user.Id, Name = user.Email!, DisplayName = user.Email! }),
            "application/json");
    }

    /// <summary>Keeps the passkey the browser made, once its answer is checked against the challenge, this site and this user.</summary>
    public async Task<IActionResult> OnPostAddPasskeyAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if ((await users.GetPasskeysAsync(user)).Count >= PasskeyLimits.PerUser)
        {
            PasskeyProblem = $"You have {PasskeyLimits.PerUser} passkeys, as many as an account keeps: remove one first.";
        }
        else if (Credential is not { Length: > 0 and <= PasskeyLimits.CredentialJsonLength } credential
                 || await PasskeyCeremony.AnswerAsync(() => signIn.PerformPasskeyAttestationAsync(credential)) is not { Succeeded: true } attested)
        {
            PasskeyProblem = "The passkey was not added: your device's answer did not match what Dms asked for. Try again.";
        }
        else
        {
            var name = new string([.. (PasskeyName ?? "").Trim().Take(PasskeyLimits.NameLength).Where(c => !char.IsControl(c))]);
            attested.Passkey.Name = name.Length > 0 ? name : $"Passkey added {attested.Passkey.CreatedAt.UtcDateTime:yyyy-MM-dd}";
            await users.AddOrUpdatePasskeyAsync(user, attested.Passkey);
            Done = $"The passkey “{attested.Passkey.Name}” is added: use it on the sign-in page instead of your password.";
        }

        // The form shows empty again, not what was posted.
        ModelState.Clear();
        (Credential, PasskeyName) = (null, null);
        return await ShowAsync(user);
    }

    public async Task<IActionResult> OnPostRemovePasskeyAsync(string? id)
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (id is { Length: > 0 and <= 2048 } && TryDecode(id) is { } credentialId && await users.GetPasskeyAsync(user, credentialId) is { } passkey)
        {
            await users.RemovePasskeyAsync(user, credentialId);
            Done = $"The passkey “{passkey.Name}” is removed: it no longer signs you in.";
        }

        return await ShowAsync(user);

        static byte[]? TryDecode(string text)
        {
            try
            {
                return Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(text);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }

    private async Task<string?> CurrentSessionAsync() =>
        ProviderSessions.IdOf((await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme)).Properties);

    private async Task<PageResult> ShowAsync(DmsUser user)
    {
        Sessions = await sessions.ListAsync(user, await CurrentSessionAsync(), HttpContext.RequestAborted);
        Passkeys = [.. (await users.GetPasskeysAsync(user)).OrderBy(p => p.CreatedAt)];
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
