using Dms.Identity.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Dms.Identity.Pages;

/// <summary>
/// The second step of a sign-in with two-factor on: a code from the authenticator app (or a recovery code, used up).
/// Only after the right password (ASP.NET Core Identity's two-factor cookie says whose); wrong codes count towards
/// the lockout as wrong passwords do.
/// </summary>
[EnableRateLimiting(SignInThrottle.Policy)]
public sealed class TwoFactorModel(SignInManager<DmsUser> signIn) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/SignIn", new { ReturnUrl }) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return RedirectToPage("/SignIn", new { ReturnUrl });
        }

        var code = new string((Code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        var result = code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false)
            : code.Length is > 0 and <= 64 ? await signIn.TwoFactorRecoveryCodeSignInAsync(code) : Microsoft.AspNetCore.Identity.SignInResult.Failed;
        if (result.Succeeded)
        {
            return LocalRedirect(ReturnUrls.Local(Url, ReturnUrl));
        }

        Problem = "That code is not right. Codes change every 30 seconds: use the one shown now.";
        return Page();
    }
}
