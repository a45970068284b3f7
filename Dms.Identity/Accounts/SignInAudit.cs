using Dms.Audit;
using Dms.Contracts;
using Dms.Contracts.Http;
using Microsoft.EntityFrameworkCore;

namespace Dms.Identity.Accounts;

/// <summary>
/// Records each sign-in of a tenant's user in the tenant's audit trail (<c>public.audit_events</c>, which the
/// provider's role may add to and nothing else), in the transaction that keeps the sign-in's session: a session
/// exists exactly when its sign-in is in the trail. The subject is the one the tokens carry (the user's id), so the
/// trail names the same actor for the sign-in and for what the user does after. Operators belong to no tenant: their
/// sign-ins are in the provider's sessions, not in a tenant's trail.
/// </summary>
public static class SignInAudit
{
    public static async Task RecordAsync(IdentityDatabase db, string userId, string? address, string? userAgent, DateTimeOffset at)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.TenantId, u.Email }).SingleOrDefaultAsync();
        if (user?.TenantId is not { } tenantId)
        {
            return;
        }

        var name = user.Email ?? userId;
        var agent = AuditActor.CleanUserAgent(userAgent);
        await db.Database.ExecuteSqlAsync($"SELECT set_config({DatabaseNames.TenantSetting}, {tenantId.ToString()}, true)");
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO public.audit_events (tenant_id, occurred_at, action, actor_kind, actor_id, actor_name, client_address, user_agent, outcome)
            VALUES ({tenantId}, {at}, {AuditActions.SignedIn}, {AuditActor.User}, {userId}, {name}, {address}, {agent}, {AuditOutcomes.Succeeded})
            """);
    }
}
