using Dms.Common;

namespace Dms.Users;

/// <summary>Adds a user of a tenant to the identity provider, in a role, with a temporary password they replace at their first sign-in.</summary>
public sealed class AddUser(UserRules rules, IUserDirectory directory)
{
    public async Task<Outcome<NewUser>> HandleAsync(Guid tenantId, string? email, string? role, CancellationToken cancellationToken)
    {
        if ((UserRules.RefusesNewUser(email, role) ?? await rules.RefusesTenantAsync(tenantId, cancellationToken)) is { } refused)
        {
            return refused;
        }

        try
        {
            return await directory.CreateAsync(email!.Trim(), tenantId, role!, cancellationToken);
        }
        catch (UserDirectoryException e)
        {
            return UserRules.Refusal(e);
        }
    }
}
