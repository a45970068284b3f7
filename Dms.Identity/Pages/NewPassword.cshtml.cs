using Dms.Identity.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Dms.Identity.Pages;

/// <summary>A first sign-in's new password, typed twice, checked against the rules shown above the form.</summary>
[EnableRateLimiting(SignInThrottle.Policy)]
public sealed class NewPasswordModel(SignInManager<DmsUser> signIn, UserManager<DmsUser> users) : PageModel
{
    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? Confirmation { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public IReadOnlyList<string> Problems { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync() =>
        await FirstSignIn.UserAsync(HttpContext, users) is null ? RedirectToPage("/SignIn", new { ReturnUrl }) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await FirstSignIn.UserAsync(HttpContext, users) is not { } user)
        {
            return RedirectToPage("/SignIn", new { ReturnUrl });
        }

        if (NewPassword is not { Length: > 0 and <= 1024 } password || password != Confirmation)
        {
            Problems = ["The two passwords are not the same."];
            return Page();
        }

        var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
        if (!reset.Succeeded)
        {
            Problems = [.. reset.Errors.Select(e => e.Description)];
            return Page();
        }

        user.MustChangePassword = false;
        await users.UpdateAsync(user);
        await FirstSignIn.EndAsync(HttpContext);
        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect(ReturnUrls.Local(Url, ReturnUrl));
    }
}
