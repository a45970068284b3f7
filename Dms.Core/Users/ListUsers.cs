using Dms.Common;

namespace Dms.Users;

/// <summary>A tenant's users as the identity provider lists them: role, enabled, whether they still have to choose a password.</summary>
public sealed class ListUsers(UserRules rules, IUserDirectory directory)
{
    public async Task<Outcome<IReadOnlyList<DirectoryUser>>> HandleAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (await rules.RefusesTenantAsync(tenantId, cancellationToken) is { } refused)
        {
            return refused;
        }

        try
        {
            return Outcome<IReadOnlyList<DirectoryUser>>.Of(await directory.ListAsync(tenantId, cancellationToken));
        }
        catch (UserDirectoryException e)
        {
            return UserRules.Refusal(e);
        }
    }
}
