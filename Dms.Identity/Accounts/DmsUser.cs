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

    /// <summary>Turned off by an admin or an operator: the account cannot sign in and is not given tokens (<see cref="EnabledAccounts"/>).</summary>
    public bool Disabled { get; set; }

    /// <summary>The time step of the last authenticator code that signed in: a code is good once (<see cref="AuthenticatorCodes"/>).</summary>
    public long LastAuthenticatorStep { get; set; }
}

/// <summary>Whether an account may sign in at all: a disabled one may not, whatever its password or second factor.</summary>
public sealed class EnabledAccounts : IUserConfirmation<DmsUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<DmsUser> manager, DmsUser user) => Task.FromResult(!user.Disabled);
}
