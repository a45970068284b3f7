using System.Net.Mail;
using System.Security.Claims;
using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Common;
using Dms.Contracts;
using Dms.Contracts.Http;
using Dms.Tenants;
using Dms.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Dms.Api.Users;

/// <summary>
/// Users of a tenant added to the identity provider, in a role, with a temporary password they replace at their first
/// sign-in: by the operator for any tenant (the runbook's "add new user"), or by a tenant's admin for their own.
/// </summary>
public static class UsersEndpoints
{

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
        MapUserRoutes(
            endpoints.MapGroup("/api/v1/admin/tenants/{id:guid}/users").WithTags("Tenants (operator)").RequireAuthorization(Policies.Operate),
            http => new Whose(Guid.Parse((string)http.GetRouteValue("id")!, System.Globalization.CultureInfo.InvariantCulture), Self: null),
            "An operator: the tenant's users", "TenantUser");
        MapUserRoutes(
            endpoints.MapGroup("/api/v1/tenant/users").WithTags("Tenant").RequireAuthorization(Policies.Administer),
            http => new Whose(Caller.From(http.User, http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value)!.TenantId, http.User),
            "A tenant's admin: their own tenant's users (never themselves)", "OwnTenantUser");
        return endpoints;
    }

    /// <summary>Which tenant's users a request manages, and who asks when they may not touch their own account.</summary>
    private sealed record Whose(Guid TenantId, ClaimsPrincipal? Self);

    /// <param name="named">What the routes' operation names end with: each group's are its own.</param>
    private static void MapUserRoutes(RouteGroupBuilder users, Func<HttpContext, Whose> whose, string who, string named)
    {
        users.MapGet("", (HttpContext http, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                ListAsync(whose(http).TenantId, tenants, directory, cancellationToken))
            .WithName("List" + named + "s").WithSummary($"{who}, listed: role, enabled, whether they still have to choose a password.");
        users.MapPost("", (HttpContext http, NewUserRequest request, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                CreateAsync(whose(http).TenantId, request, tenants, directory, cancellationToken))
            .WithName("Add" + named).WithSummary($"{who}: adds one to the identity provider, in a role (viewer, editor, admin), with a temporary password.");
        users.MapPost("{email}/disable", (HttpContext http, string email, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                ChangeAsync(whose(http), email, tenants, (tenant, user, token) => directory.SetEnabledAsync(tenant, user, false, token), cancellationToken))
            .WithName("Disable" + named).WithSummary($"{who}: disables one; they cannot sign in, and their sign-ins end.");
        users.MapPost("{email}/enable", (HttpContext http, string email, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                ChangeAsync(whose(http) with { Self = null }, email, tenants, (tenant, user, token) => directory.SetEnabledAsync(tenant, user, true, token), cancellationToken))
            .WithName("Enable" + named).WithSummary($"{who}: enables a disabled one again, with the password they had.");
        users.MapPost("{email}/reset", (HttpContext http, string email, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                ResetAsync(whose(http), email, tenants, directory, cancellationToken))
            .WithName("Reset" + named).WithSummary($"{who}: gives one a new temporary password (and, at Dms's provider, no second factor or passkeys), and ends their sign-ins.");
        users.MapDelete("{email}", (HttpContext http, string email, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
                ChangeAsync(whose(http), email, tenants, (tenant, user, token) => directory.RemoveAsync(tenant, user, token), cancellationToken))
            .WithName("Remove" + named).WithSummary($"{who}: removes one from the identity provider; their sign-ins end.");
    }

    private static async Task<Results<Ok<List<UserResponse>>, ProblemHttpResult>> ListAsync(
        Guid id, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken)
    {
        if ((await tenants.GetAsync(id, cancellationToken)).Error is { } missing)
        {
            return missing.ToProblem();
        }

        try
        {
            return TypedResults.Ok((await directory.ListAsync(id, cancellationToken))
                .Select(u => new UserResponse(u.Username, u.Subject, u.TenantId, u.Role, u.Enabled, u.MustChangePassword, u.CreatedAt)).ToList());
        }
        catch (UserDirectoryException e)
        {
            return Failed(e);
        }
    }

    private static async Task<Results<Created<NewUserResponse>, ProblemHttpResult>> CreateAsync(
        Guid id, NewUserRequest request, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken)
    {
        if (request.Email is not { } email || !MailAddress.TryCreate(email.Trim(), out var address) || address.Address != email.Trim())
        {
            return Error.Invalid("email", "email must be one e-mail address, like user@example.com.").ToProblem();
        }

        if (request.Role is not { } role || !Roles.InTenant.Contains(role))
        {
            return Error.Invalid("role", $"role must be one of {string.Join(", ", Roles.InTenant)}.").ToProblem();
        }

        if ((await tenants.GetAsync(id, cancellationToken)).Error is { } missing)
        {
            return missing.ToProblem();
        }

        try
        {
            var user = await directory.CreateAsync(address.Address, id, role, cancellationToken);
            return TypedResults.Created($"/api/v1/admin/tenants/{id}/users/{Uri.EscapeDataString(user.Username)}", ToResponse(user));
        }
        catch (UserDirectoryException e)
        {
            return Failed(e);
        }
    }

    private static async Task<Results<Ok<NewUserResponse>, ProblemHttpResult>> ResetAsync(
        Whose whose, string email, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken)
    {
        if (await RefusedAsync(whose, email, tenants, cancellationToken) is { } refused)
        {
            return refused;
        }

        try
        {
            return TypedResults.Ok(ToResponse(await directory.ResetAsync(whose.TenantId, email, cancellationToken)));
        }
        catch (UserDirectoryException e)
        {
            return Failed(e);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ChangeAsync(
        Whose whose, string email, TenantService tenants, Func<Guid, string, CancellationToken, Task> change, CancellationToken cancellationToken)
    {
        if (await RefusedAsync(whose, email, tenants, cancellationToken) is { } refused)
        {
            return refused;
        }

        try
        {
            await change(whose.TenantId, email, cancellationToken);
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
    private static async Task<ProblemHttpResult?> RefusedAsync(Whose whose, string email, TenantService tenants, CancellationToken cancellationToken)
    {
        if (email.Length > 256 || !MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            return Error.Invalid("email", "The user is named by one e-mail address, like user@example.com.").ToProblem();
        }

        if (whose.Self?.FindFirstValue("email") is { } own && string.Equals(own, email, StringComparison.OrdinalIgnoreCase))
        {
            return new Error(ErrorKind.Conflict, "own-account",
                "You cannot disable, reset or remove your own account here: another admin of the tenant or an operator can.").ToProblem();
        }

        return (await tenants.GetAsync(whose.TenantId, cancellationToken)).Error is { } missing ? missing.ToProblem() : null;
    }

    private static NewUserResponse ToResponse(NewUser user) => new(user.Username, user.TenantId, user.Role, user.TemporaryPassword);

    private static ProblemHttpResult Failed(UserDirectoryException e) => e.Failure switch
    {
        DirectoryFailure.Exists => new Error(ErrorKind.Conflict, "user-exists", e.Message).ToProblem(),
        DirectoryFailure.NotFound => new Error(ErrorKind.NotFound, "user-not-found", e.Message).ToProblem(),
        _ => TypedResults.Problem(e.Message, statusCode: StatusCodes.Status502BadGateway, title: "Identity provider error",
            type: ProblemTypes.For("identity-provider-error")),
    };
}
