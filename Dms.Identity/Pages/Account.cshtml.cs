using Dms.Identity.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Dms.Identity.Pages;

/// <summary>The signed-in user's account at the provider.</summary>
[Authorize(AuthenticationSchemes = "Identity.Application")]
public sealed class AccountModel(UserManager<DmsUser> users) : PageModel
{
    public string? Email { get; private set; }

    public string? Role { get; private set; }

    public Guid? TenantId { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        (Email, Role, TenantId) = (user.Email, user.Role, user.TenantId);
        return Page();
    }
}
