using Dms.Contracts.Http;
using Dms.Audit;
using Dms.Common;

namespace Dms.Users;

/// <summary>What is done to a user of a tenant.</summary>
public enum UserChange
{
    /// <summary>They cannot sign in, and their sign-ins end.</summary>
    Disable,

    /// <summary>A disabled user signs in again with the password they had.</summary>
    Enable,

    /// <summary>A new temporary password (and, at Dms's provider, no second factor or passkeys); their sign-ins end.</summary>
    Reset,

    /// <summary>Gone from the identity provider; their sign-ins end.</summary>
    Remove,
}

/// <summary>
/// Disables, enables, resets or removes a user of a tenant: by an operator, or by the tenant's admin, who may not
/// disable, reset or remove their own account (<see cref="UserRules.RefusesChangeAsync"/>).
/// </summary>
public sealed class ChangeUser(UserRules rules, IUserDirectory directory, AuditTrail audit)
{
    /// <param name="actingAddress">The address of the tenant's admin who asks; null for an operator.</param>
    /// <returns>The user's new temporary password for <see cref="UserChange.Reset"/>; otherwise null.</returns>
    public async Task<Outcome<NewUser?>> HandleAsync(Guid tenantId, string email, UserChange change, string? actingAddress, CancellationToken cancellationToken)
    {
        // Enabling one's own account again cannot lock anybody out.
        var acting = change == UserChange.Enable ? null : actingAddress;
        if (await rules.RefusesChangeAsync(tenantId, email, acting, cancellationToken) is { } refused)
        {
            return refused;
        }

        var changed = new { email, change = change.ToString().ToLowerInvariant() };
        try
        {
            NewUser? reset = null;
            switch (change)
            {
                case UserChange.Reset:
                    reset = await directory.ResetAsync(tenantId, email, cancellationToken);
                    break;
                case UserChange.Remove:
                    await directory.RemoveAsync(tenantId, email, cancellationToken);
                    break;
                default:
                    await directory.SetEnabledAsync(tenantId, email, change == UserChange.Enable, cancellationToken);
                    break;
            }

            await audit.RecordAsync(tenantId, AuditActions.UserChanged, AuditOutcomes.Succeeded, details: changed);
            return Outcome<NewUser?>.Of(reset);
        }
        catch (UserDirectoryException e)
        {
            await audit.RecordAsync(tenantId, AuditActions.UserChanged, AuditOutcomes.Refused, details: new { changed.email, changed.change, reason = e.Message });
            return UserRules.Refusal(e);
        }
    }
}
