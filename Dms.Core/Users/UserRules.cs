using System.Net.Mail;
using Dms.Common;
using Dms.Contracts;
using Dms.Tenants;

namespace Dms.Users;

/// <summary>The rules every use case on a tenant's users keeps, and the directory's failures as refusals.</summary>
public sealed class UserRules(GetTenant tenants)
{
    private const int MaxAddressLength = 256;

    /// <summary>The tenant must exist.</summary>
    public async Task<Error?> RefusesTenantAsync(Guid tenantId, CancellationToken cancellationToken) =>
        (await tenants.HandleAsync(tenantId, cancellationToken)).Error;

    /// <summary>
    /// The user must be named by one address, the tenant must exist, and <paramref name="actingAddress"/> (a tenant's
    /// admin acting on their own tenant; null for operators and for enabling) may not disable, reset or remove their
    /// own account: they would lock the tenant's last admin out with one click, where another admin or an operator can.
    /// </summary>
    public async Task<Error?> RefusesChangeAsync(Guid tenantId, string email, string? actingAddress, CancellationToken cancellationToken)
    {
        if (email.Length > MaxAddressLength || !MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            return Error.Invalid("email", "The user is named by one e-mail address, like user@example.com.");
        }

        if (actingAddress is not null && string.Equals(actingAddress, email, StringComparison.OrdinalIgnoreCase))
        {
            return new Error(ErrorKind.Conflict, "own-account", "You cannot disable, reset or remove your own account here: another admin of the tenant or an operator can.");
        }

        return await RefusesTenantAsync(tenantId, cancellationToken);
    }

    /// <summary>A new user's address and role, as given: one address, one of the tenant's roles.</summary>
    public static Error? RefusesNewUser(string? email, string? role) =>
        email is null || !MailAddress.TryCreate(email.Trim(), out var address) || address.Address != email.Trim()
            ? Error.Invalid("email", "email must be one e-mail address, like user@example.com.")
            : role is null || !Roles.InTenant.Contains(role)
                ? Error.Invalid("role", $"role must be one of {string.Join(", ", Roles.InTenant)}.")
                : null;

    public static Error Refusal(UserDirectoryException e) => e.Failure switch
    {
        DirectoryFailure.Exists => new Error(ErrorKind.Conflict, "user-exists", e.Message),
        DirectoryFailure.NotFound => new Error(ErrorKind.NotFound, "user-not-found", e.Message),
        _ => new Error(ErrorKind.Upstream, "identity-provider-error", e.Message),
    };
}
