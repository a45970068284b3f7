using Microsoft.AspNetCore.Identity;

namespace Dms.Identity.Accounts;

/// <summary>
/// A person who signs in: an e-mail address (the user name), one role, and the tenant whose documents they work on
/// (none for an operator). The tenant and the role go into every token as the API reads them.
/// </summary>
public sealed class DmsUser : IdentityUser
{
    public Guid? TenantId { get; set; }

    public required string Role { get; set; }

    /// <summary>The password was given by someone else (an operator, a tenant's admin): the next sign-in sets a new one first.</summary>
    public bool MustChangePassword { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
