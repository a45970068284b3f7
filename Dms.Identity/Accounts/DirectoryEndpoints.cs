using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Dms.Contracts;
using Dms.Identity.Protocol;
using Dms.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.Identity.Accounts;

/// <summary>
/// Where the api manages a tenant's users (<see cref="IUserDirectory"/>): only with the directory key the AppHost gave
/// both, never from a browser. The api has decided that its caller may; the provider keeps the accounts. Every route
/// names the tenant, and a user of another tenant (or an operator) is not found there.
/// </summary>
public static class DirectoryEndpoints
{
    public sealed record NewUserRequest(string? Email, string? Role);

    public static IEndpointRouteBuilder MapDirectory(this IEndpointRouteBuilder endpoints)
    {
        var tenant = endpoints.MapGroup("/directory/tenants/{tenantId:guid}/users").AddEndpointFilter(async (context, next) =>
            ShowsKey(context.HttpContext, context.HttpContext.RequestServices.GetRequiredService<IOptions<ProviderOptions>>().Value.DirectoryKey)
                ? await next(context)
                : Results.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: "The directory is only for the api, with its key."));
        tenant.MapPost("", CreateAsync);
        tenant.MapGet("", ListAsync);
        tenant.MapPost("{email}/disable", (Guid tenantId, string email, UserManager<DmsUser> users, UserSessions sessions, CancellationToken cancellationToken) =>
            SetEnabledAsync(tenantId, email, false, users, sessions, cancellationToken));
        tenant.MapPost("{email}/enable", (Guid tenantId, string email, UserManager<DmsUser> users, UserSessions sessions, CancellationToken cancellationToken) =>
            SetEnabledAsync(tenantId, email, true, users, sessions, cancellationToken));
        tenant.MapPost("{email}/reset", ResetAsync);
        tenant.MapDelete("{email}", RemoveAsync);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(Guid tenantId, NewUserRequest request, UserManager<DmsUser> users, TimeProvider time)
    {
        if (request.Email is not { } email || !MailAddress.TryCreate(email, out var address) || address.Address != email
            || request.Role is not { } role || !Roles.InTenant.Contains(role))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "A new user needs one e-mail address and a role of a tenant.");
        }

        var password = TemporaryPasswords.New();
        var user = new DmsUser
        {
            UserName = email, Email = email, EmailConfirmed = true, TenantId = tenantId, Role = role, MustChangePassword = true, CreatedAt = time.GetUtcNow(),
        };
        var created = await users.CreateAsync(user, password);
        if (created.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.DuplicateEmail)))
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, detail: $"There is already a user {email}.");
        }

        return created.Succeeded
            ? Results.Created($"/directory/tenants/{tenantId}/users/{Uri.EscapeDataString(email)}", new NewUser(email, tenantId, role, password))
            : Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: string.Join(" ", created.Errors.Select(e => e.Description)));
    }

    private static async Task<IResult> ListAsync(Guid tenantId, UserManager<DmsUser> users, CancellationToken cancellationToken) =>
        Results.Ok(await users.Users.AsNoTracking()
            .Where(u => u.TenantId == tenantId)
            .OrderBy(u => u.Email)
            .Select(u => new DirectoryUser(u.Email!, u.Id, tenantId, u.Role, !u.Disabled, u.MustChangePassword, u.CreatedAt))
            .ToListAsync(cancellationToken));

    private static async Task<IResult> SetEnabledAsync(
        Guid tenantId, string email, bool enabled, UserManager<DmsUser> users, UserSessions sessions, CancellationToken cancellationToken)
    {
        if (await FindAsync(users, tenantId, email) is not { } user)
        {
            return NotFound(email);
        }

        user.Disabled = !enabled;
        await users.UpdateAsync(user);
        if (!enabled)
        {
            await sessions.EndAllAsync(user, keptSession: null, cancellationToken);
        }

        return Results.NoContent();
    }

    /// <summary>A new temporary password; the lockout lifted; two-factor sign-in off with a new key, no passkeys; every sign-in ended.</summary>
    private static async Task<IResult> ResetAsync(Guid tenantId, string email, UserManager<DmsUser> users, UserSessions sessions, CancellationToken cancellationToken)
    {
        if (await FindAsync(users, tenantId, email) is not { } user)
        {
            return NotFound(email);
        }

        var password = TemporaryPasswords.New();
        var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
        if (!reset.Succeeded)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: string.Join(" ", reset.Errors.Select(e => e.Description)));
        }

        user.MustChangePassword = true;
        await users.UpdateAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        // No recovery codes: those shown before sign in no more; nor do the user's passkeys (a lost device among them).
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        foreach (var passkey in await users.GetPasskeysAsync(user))
        {
            await users.RemovePasskeyAsync(user, passkey.CredentialId);
        }

        await sessions.EndAllAsync(user, keptSession: null, cancellationToken);
        return Results.Ok(new NewUser(user.Email!, tenantId, user.Role, password));
    }

    private static async Task<IResult> RemoveAsync(Guid tenantId, string email, UserManager<DmsUser> users, UserSessions sessions, CancellationToken cancellationToken)
    {
        if (await FindAsync(users, tenantId, email) is not { } user)
        {
            return NotFound(email);
        }

        await sessions.EndAllAsync(user, keptSession: null, cancellationToken);
        var deleted = await users.DeleteAsync(user);
        return deleted.Succeeded
            ? Results.NoContent()
            : Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: string.Join(" ", deleted.Errors.Select(e => e.Description)));
    }

    private static async Task<DmsUser?> FindAsync(UserManager<DmsUser> users, Guid tenantId, string email) =>
        email.Length <= 256 && await users.FindByEmailAsync(email) is { } user && user.TenantId == tenantId ? user : null;

    private static IResult NotFound(string email) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, detail: $"The tenant has no user {email}.");

    private static bool ShowsKey(HttpContext http, string? key) =>
        key is { Length: > 0 }
        && http.Request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..]), Encoding.UTF8.GetBytes(key));
}
