using Dms.Contracts.Http;
using Dms.Audit;
using Dms.Common;

namespace Dms.Users;

/// <summary>Adds a user of a tenant to the identity provider, in a role, with a temporary password they replace at their first sign-in.</summary>
public sealed class AddUser(UserRules rules, IUserDirectory directory, AuditTrail audit)
{
    public async Task<Outcome<NewUser>> HandleAsync(Guid tenantId, string? email, string? role, CancellationToken cancellationToken)
    {
        if ((UserRules.RefusesNewUser(email, role) ?? await rules.RefusesTenantAsync(tenantId, cancellationToken)) is { } refused)
        {
            return refused;
        }

        var added = new { email = email!.Trim(), role };
        try
        {
            var user = await directory.CreateAsync(added.email, tenantId, role!, cancellationToken);
            await audit.RecordAsync(tenantId, AuditActions.UserAdded, AuditOutcomes.Succeeded, details: added);
            return user;
        }
        catch (UserDirectoryException e)
        {
            await audit.RecordAsync(tenantId, AuditActions.UserAdded, AuditOutcomes.Refused, details: new { added.email, added.role, reason = e.Message });
            return UserRules.Refusal(e);
        }
    }
}
