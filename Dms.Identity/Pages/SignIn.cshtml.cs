using Dms.Identity.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Dms.Identity.Pages;

/// <summary>
/// Sign-in with an e-mail address and a password. An unknown address, a wrong password and a locked account get the
/// same answer (and take as long): the page tells a guesser nothing about which accounts exist. Wrong passwords in a
/// row lock the account (<see cref="Protocol.LockoutSettings"/>); each client address has its own budget of tries.
/// </summary>
[EnableRateLimiting(SignInThrottle.Policy)]
public sealed class SignInModel(SignInManager<DmsUser> signIn, UserManager<DmsUser> users, IOptions<Protocol.ProviderOptions> options) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>What the browser's WebAuthn answered (<c>navigator.credentials.get</c>), as JSON: a passkey sign-in.</summary>
    [BindProperty]
    public string? Credential { get; set; }

    public string? Problem { get; private set; }

    public void OnGet()
    {
    }

    /// <summary>What the browser asks the authenticator for: any passkey of this site (the user picks theirs), with a challenge kept in a cookie.</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync() =>
        Content(await signIn.MakePasskeyRequestOptionsAsync(user: null), "application/json");

    /// <summary>
    /// Signs in with a passkey: the credential must answer this browser's challenge, with a key an account registered
    /// and a user verified on the device, so no second factor is asked for. A disabled or locked account is refused
    /// as with a password.
    /// </summary>
    public async Task<IActionResult> OnPostPasskeyAsync()
    {
        if (Credential is not { Length: > 0 and <= PasskeyLimits.CredentialJsonLength } credential)
        {
            return PasskeyRefused();
        }

        var result = await PasskeyCeremony.AnswerAsync(() => signIn.PasskeySignInAsync(credential));
        return result is { Succeeded: true } ? LocalRedirect(LocalReturnUrl) : PasskeyRefused();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = Email is { Length: > 0 and <= 256 } email ? await users.FindByEmailAsync(email.Trim()) : null;
        if (user is null || Password is not { Length: > 0 and <= 1024 } password)
        {
            // As long as checking a password takes, so an unknown address cannot be told from a wrong password by time.
            users.PasswordHasher.VerifyHashedPassword(new DmsUser { Role = "" }, FakeHash.Value, Password ?? "");
            return Refused();
        }

        if (user.MustChangePassword)
        {
            var checkedPassword = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
            if (!checkedPassword.Succeeded)
            {
                return Refused();
            }

            await FirstSignIn.StartAsync(HttpContext, user, users);
            return RedirectToPage("/NewPassword", new { ReturnUrl = LocalReturnUrl });
        }

        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(LocalReturnUrl);
        }

        return result.RequiresTwoFactor ? RedirectToPage("/TwoFactor", new { ReturnUrl = LocalReturnUrl }) : Refused();
    }

    private string LocalReturnUrl => ReturnUrls.Local(Url, ReturnUrl);

    private PageResult Refused()
    {
        var lockout = options.Value.Lockout;
        Problem = $"The e-mail address or the password is not right. After {lockout.MaxFailedAttempts} wrong passwords in a row an account " +
                  $"is locked for {lockout.Duration.TotalMinutes:0} minutes.";
        Password = null;
        return Page();
    }

    private PageResult PasskeyRefused()
    {
        Problem = "That passkey did not sign you in: it may belong to another site or a removed account, or the account is locked or disabled. " +
                  "Sign in with your password instead.";
        return Page();
    }

    private static class FakeHash
    {
        public static readonly string Value = new PasswordHasher<DmsUser>().HashPassword(new DmsUser { Role = "" }, Guid.NewGuid().ToString());
    }
}
