using System.Net.Mail;
using System.Security.Claims;
using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Common;
using Dms.Contracts;
using Dms.Tenants;
using Dms.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dms.Api.Users;

/// <summary>
/// Users of a tenant added to the identity provider, in a role, with a temporary password they replace at their first
/// sign-in: by the operator for any tenant (the runbook's "add new user"), or by a tenant's admin for their own.
/// </summary>
public static class UsersEndpoints
{
    private static readonly string[] TenantRoles = [Roles.Viewer, Roles.Editor, Roles.Admin];

    public sealed record NewUserRequest(string? Email, string? Role);

    public static IHostApplicationBuilder AddUsers(this IHostApplicationBuilder builder)
    {
        // Dms's own provider where the AppHost gave a directory key; otherwise the Cognito user pool of the authority.
        if (builder.Configuration[$"{IdentityOptions.Section}:DirectoryKey"] is { Length: > 0 })
        {
            builder.Services.AddHttpClient<IUserDirectory, DmsIdentityDirectory>();
        }
        else
        {
            builder.Services.AddHttpClient<IUserDirectory, CognitoUserDirectory>();
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder endpoints)
    {
        var tenant = endpoints.MapGroup("/api/v1/admin/tenants/{id:guid}/users").WithTags("Tenants (operator)").RequireAuthorization(Policies.Operate);
        tenant.MapGet("", ListAsync).WithSummary("The tenant's users in the identity provider: role, enabled, whether they still have to choose a password.");
        tenant.MapPost("", CreateAsync)
            .WithSummary("Adds a user of the tenant to the identity provider, in a role (viewer, editor, admin), with a temporary password.");
        tenant.MapPost("{email}/disable", (Guid id, string email, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                ChangeAsync(id, email, null, tenants, (user, token) => directory.SetEnabledAsync(id, user, false, token), cancellationToken))
            .WithSummary("Disables a user: they cannot sign in, and their sign-ins end.");
        tenant.MapPost("{email}/enable", (Guid id, string email, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                ChangeAsync(id, email, null, tenants, (user, token) => directory.SetEnabledAsync(id, user, true, token), cancellationToken))
            .WithSummary("Enables a disabled user again, with the password they had.");
        tenant.MapPost("{email}/reset", (Guid id, string email, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                ResetAsync(id, email, null, tenants, directory, cancellationToken))
            .WithSummary("Gives a user a new temporary password (and, at Dms's provider, no second factor), and ends their sign-ins.");
        tenant.MapDelete("{email}", (Guid id, string email, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                ChangeAsync(id, email, null, tenants, (user, token) => directory.RemoveAsync(id, user, token), cancellationToken))
            .WithSummary("Removes a user from the identity provider; their sign-ins end.");

        var own = endpoints.MapGroup("/api/v1/tenant/users").WithTags("Tenant").RequireAuthorization(Policies.Administer);
        own.MapGet("", (Caller caller, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                ListAsync(caller.TenantId, tenants, directory, cancellationToken))
            .WithSummary("A tenant's admin lists the users of their own tenant.");
        own.MapPost("", (Caller caller, NewUserRequest request, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                CreateAsync(caller.TenantId, request, tenants, directory, cancellationToken))
            .WithSummary("A tenant's admin adds a user of their own tenant, in a role (viewer, editor, admin), with a temporary password.");
        own.MapPost("{email}/disable", (Caller caller, ClaimsPrincipal principal, string email, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                ChangeAsync(caller.TenantId, email, principal, tenants, (user, token) => directory.SetEnabledAsync(caller.TenantId, user, false, token), cancellationToken))
            .WithSummary("A tenant's admin disables a user of their own tenant (not themselves).");
        own.MapPost("{email}/enable", (Caller caller, string email, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                ChangeAsync(caller.TenantId, email, null, tenants, (user, token) => directory.SetEnabledAsync(caller.TenantId, user, true, token), cancellationToken))
            .WithSummary("A tenant's admin enables a disabled user of their own tenant again.");
        own.MapPost("{email}/reset", (Caller caller, ClaimsPrincipal principal, string email, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                ResetAsync(caller.TenantId, email, principal, tenants, directory, cancellationToken))
            .WithSummary("A tenant's admin gives a user of their own tenant (not themselves) a new temporary password.");
        own.MapDelete("{email}", (Caller caller, ClaimsPrincipal principal, string email, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                ChangeAsync(caller.TenantId, email, principal, tenants, (user, token) => directory.RemoveAsync(caller.TenantId, user, token), cancellationToken))
            .WithSummary("A tenant's admin removes a user of their own tenant (not themselves).");
        return endpoints;
    }

    private static async Task<Results<Ok<IReadOnlyList<DirectoryUser>>, ProblemHttpResult>> ListAsync(
        Guid id, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken)
    {
        if ((await tenants.GetAsync(id, cancellationToken)).Error is { } missing)
        {
            return missing.ToProblem();
        }

        try
        {
            return TypedResults.Ok(await directory.ListAsync(id, cancellationToken));
        }
        catch (UserDirectoryException e)
        {
            return Failed(e);
        }
    }

    private static async Task<Results<Created<NewUser>, ProblemHttpResult>> CreateAsync(
        Guid id, NewUserRequest request, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken)
    {
        if (request.Email is not { } email || !MailAddress.TryCreate(email.Trim(), out var address) || address.Address != email.Trim())
        {
            return Error.Invalid("email", "email must be one e-mail address, like user@example.com.").ToProblem();
        }

        if (request.Role is not { } role || !TenantRoles.Contains(role))
        {
            return Error.Invalid("role", $"role must be one of {string.Join(", ", TenantRoles)}.").ToProblem();
        }

        if ((await tenants.GetAsync(id, cancellationToken)).Error is { } missing)
        {
            return missing.ToProblem();
        }

        try
        {
            var user = await directory.CreateAsync(address.Address, id, role, cancellationToken);
            return TypedResults.Created($"/api/v1/admin/tenants/{id}/users/{Uri.EscapeDataString(user.Username)}", user);
        }
        catch (UserDirectoryException e)
        {
            return Failed(e);
        }
    }

    private static async Task<Results<Ok<NewUser>, ProblemHttpResult>> ResetAsync(
        Guid id, string email, ClaimsPrincipal? caller, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken)
    {
        if (await RefusedAsync(id, email, caller, tenants, cancellationToken) is { } refused)
        {
            return refused;
        }

        try
        {
            return TypedResults.Ok(await directory.ResetAsync(id, email, cancellationToken));
        }
        catch (UserDirectoryException e)
        {
            return Failed(e);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ChangeAsync(
        Guid id, string email, ClaimsPrincipal? caller, TenantService tenants, Func<string, CancellationToken, Task> change, CancellationToken cancellationToken)
    {
        if (await RefusedAsync(id, email, caller, tenants, cancellationToken) is { } refused)
        {
            return refused;
        }

        try
        {
            await change(email, cancellationToken);
            return TypedResults.NoContent();
        }
        catch (UserDirectoryException e)
        {
            return Failed(e);
        }
    }

    /// <summary>
    /// The tenant must exist, the address must be one, and an admin may not disable, reset or remove themselves (they
    /// would lock the tenant's last admin out with one click; another admin or an operator can).
    /// </summary>
    private static async Task<ProblemHttpResult?> RefusedAsync(Guid id, string email, ClaimsPrincipal? caller, TenantService tenants, CancellationToken cancellationToken)
    {
        if (email.Length > 256 || !MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            return Error.Invalid("email", "The user is named by one e-mail address, like user@example.com.").ToProblem();
        }

        if (caller?.FindFirstValue("email") is { } own && string.Equals(own, email, StringComparison.OrdinalIgnoreCase))
        {
            return new Error(ErrorKind.Conflict, "own-account",
                "You cannot disable, reset or remove your own account here: another admin of the tenant or an operator can.").ToProblem();
        }

        return (await tenants.GetAsync(id, cancellationToken)).Error is { } missing ? missing.ToProblem() : null;
    }

    private static ProblemHttpResult Failed(UserDirectoryException e) => e.Failure switch
    {
        DirectoryFailure.Exists => new Error(ErrorKind.Conflict, "user-exists", e.Message).ToProblem(),
        DirectoryFailure.NotFound => new Error(ErrorKind.NotFound, "user-not-found", e.Message).ToProblem(),
        _ => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status502BadGateway, title: "Identity provider error",
            type: ProblemTypes.For("identity-provider-error")),
    };
}
