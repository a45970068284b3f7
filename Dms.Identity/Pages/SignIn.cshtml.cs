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

    public string? Problem { get; private set; }

    public void OnGet()
    {
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

    private static class FakeHash
    {
        public static readonly string Value = new PasswordHasher<DmsUser>().HashPassword(new DmsUser { Role = "" }, Guid.NewGuid().ToString());
    }
}
