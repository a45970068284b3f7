using Dms.Identity.Accounts;
using Dms.Identity.Protocol;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dms.Identity.Pages;

/// <summary>
/// The device flow's page (<c>dms login</c>): a signed-in user enters the code their terminal shows and allows it;
/// the terminal then gets tokens for them. The device's grant is its own: signing out of this browser leaves it be.
/// </summary>
[Authorize(AuthenticationSchemes = "Identity.Application")]
public sealed class VerifyModel(UserManager<DmsUser> users, Authorizations authorizations, IOpenIddictApplicationManager applications) : PageModel
{
    public string? UserCode { get; private set; }

    public bool Known { get; private set; }

    public bool Done { get; private set; }

    public string? ClientName { get; private set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var request = HttpContext.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be read.");
        Done = Request.Query["done"] == "1";
        if (string.IsNullOrEmpty(request.UserCode))
        {
            return Page();
        }

        var device = await HttpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (!device.Succeeded)
        {
            Problem = "That code is not one a device is waiting with (or it has expired). Check it and type it again.";
            return Page();
        }

        Known = true;
        UserCode = request.UserCode;
        var application = await applications.FindByClientIdAsync(device.Principal.GetClaim(Claims.ClientId)!);
        ClientName = application is null ? "unknown" : await applications.GetDisplayNameAsync(application);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? decision)
    {
        var device = await HttpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var user = await users.GetUserAsync(User);
        if (!device.Succeeded || user is null)
        {
            Problem = "That code is not one a device is waiting with (or it has expired). Check it and type it again.";
            return Page();
        }

        if (decision != "allow")
        {
            return Forbid(new AuthenticationProperties { RedirectUri = "/account" }, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        var principal = await authorizations.IssueAsync(user, device.Principal.GetClaim(Claims.ClientId)!, device.Principal.GetScopes(), session: null);
        return SignIn(principal, new AuthenticationProperties { RedirectUri = "/connect/verify?done=1" }, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
