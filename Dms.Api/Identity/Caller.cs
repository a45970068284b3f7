using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace Dms.Api.Identity;

/// <summary>
/// The signed-in user of a tenant-scoped request: which tenant, who (their subject, and the name shown for them: their
/// e-mail address, Cognito's user name, else the subject), and in which roles.
/// </summary>
public sealed record Caller(Guid TenantId, string Subject, IReadOnlySet<string> Roles, string Name)
{
    /// <summary>Null when the token names no tenant (an operator's, say): tenant policies refuse such a caller first.</summary>
    public static Caller? From(ClaimsPrincipal user, IdentityOptions options) =>
        Guid.TryParse(user.FindFirstValue(options.TenantClaim), out var tenantId)
            ? new Caller(
                tenantId,
                user.FindFirstValue("sub") ?? "",
                user.FindAll(options.RoleClaim).Select(claim => claim.Value).ToHashSet(StringComparer.Ordinal),
                user.FindFirstValue("email") ?? user.FindFirstValue(ClaimTypes.Email) ?? user.FindFirstValue("username") ?? user.FindFirstValue("sub") ?? "")
            : null;

    public bool Writes => Contracts.Roles.Writers.Any(Roles.Contains);

    public bool Administers => Contracts.Roles.Administrators.Any(Roles.Contains);

    /// <summary>The caller as the saved views' rules know them: whose views, and whether they change the shared ones.</summary>
    public Dms.SavedViews.ViewOwner ViewOwner => new(Subject, Administers);

    /// <summary>Minimal APIs bind a <see cref="Caller"/> parameter from the authenticated user.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(From(context.User, context.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value));
}
