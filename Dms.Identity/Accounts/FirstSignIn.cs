using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Dms.Identity.Accounts;

/// <summary>
/// Between a first sign-in's right temporary password and the new password: a short-lived encrypted cookie naming the
/// user and their security stamp. It cannot name anyone else (it is encrypted), and setting the password changes the
/// stamp, so it works once.
/// </summary>
public static class FirstSignIn
{
    public const string Scheme = "dms.first-sign-in";

    private const string StampClaim = "dms.stamp";

    public static AuthenticationBuilder AddFirstSignIn(this AuthenticationBuilder authentication) =>
        authentication.AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = "dms-first-sign-in";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(5);
            cookie.SlidingExpiration = false;
            cookie.LoginPath = "/signin";
        });

    public static async Task StartAsync(HttpContext http, DmsUser user, UserManager<DmsUser> users)
    {
        var identity = new ClaimsIdentity(Scheme);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, user.Id));
        identity.AddClaim(new Claim(StampClaim, await users.GetSecurityStampAsync(user)));
        await http.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
    }

    /// <summary>The user whose first sign-in this is, if the cookie is there, unexpired and not yet used.</summary>
    public static async Task<DmsUser?> UserAsync(HttpContext http, UserManager<DmsUser> users)
    {
        var result = await http.AuthenticateAsync(Scheme);
        if (!result.Succeeded || result.Principal.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id
            || await users.FindByIdAsync(id) is not { MustChangePassword: true } user)
        {
            return null;
        }

        return result.Principal.FindFirstValue(StampClaim) == await users.GetSecurityStampAsync(user) ? user : null;
    }

    public static Task EndAsync(HttpContext http) => http.SignOutAsync(Scheme);
}
