using System.Security.Claims;
using Dms.Api.Identity;
using Dms.Api.Problems;
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

        return builder.AddUserUseCases();
    }

    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder endpoints)
    {
        MapUserRoutes(
            endpoints.MapGroup("/api/v1/admin/tenants/{id:guid}/users").WithTags("Tenants (operator)").RequireAuthorization(Policies.Operate),
            http => new Whose(Guid.Parse((string)http.GetRouteValue("id")!, System.Globalization.CultureInfo.InvariantCulture), ActingAddress: null),
            "An operator: the tenant's users", "TenantUser");
        MapUserRoutes(
            endpoints.MapGroup("/api/v1/tenant/users").WithTags("Tenant").RequireAuthorization(Policies.Administer),
            http => new Whose(Caller.From(http.User, http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value)!.TenantId, http.User.FindFirstValue("email") ?? ""),
            "A tenant's admin: their own tenant's users (never themselves)", "OwnTenantUser");
        return endpoints;
    }

    /// <summary>Which tenant's users a request manages, and the address of the tenant's admin who asks (null for an operator).</summary>
    private sealed record Whose(Guid TenantId, string? ActingAddress);

    /// <param name="named">What the routes' operation names end with: each group's are its own.</param>
    private static void MapUserRoutes(RouteGroupBuilder users, Func<HttpContext, Whose> whose, string who, string named)
    {
        users.MapGet("", async (HttpContext http, ListUsers list, CancellationToken cancellationToken) =>
                (await list.HandleAsync(whose(http).TenantId, cancellationToken)).ToOk(found => found.Select(ToResponse).ToList()))
            .WithName("List" + named + "s").WithSummary($"{who}, listed: role, enabled, whether they still have to choose a password.");
        users.MapPost("", async (HttpContext http, NewUserRequest request, AddUser add, CancellationToken cancellationToken) =>
                (await add.HandleAsync(whose(http).TenantId, request.Email, request.Role, cancellationToken)).ToCreated(
                    user => $"/api/v1/admin/tenants/{user.TenantId}/users/{Uri.EscapeDataString(user.Username)}", ToResponse))
            .WithName("Add" + named).WithSummary($"{who}: adds one to the identity provider, in a role (viewer, editor, admin), with a temporary password.");
        users.MapPost("{email}/disable", (HttpContext http, string email, ChangeUser change, CancellationToken cancellationToken) =>
                NoContentAsync(ChangeAsync(whose(http), email, UserChange.Disable, change, cancellationToken)))
            .WithName("Disable" + named).WithSummary($"{who}: disables one; they cannot sign in, and their sign-ins end.");
        users.MapPost("{email}/enable", (HttpContext http, string email, ChangeUser change, CancellationToken cancellationToken) =>
                NoContentAsync(ChangeAsync(whose(http), email, UserChange.Enable, change, cancellationToken)))
            .WithName("Enable" + named).WithSummary($"{who}: enables a disabled one again, with the password they had.");
        users.MapPost("{email}/reset", async (HttpContext http, string email, ChangeUser change, CancellationToken cancellationToken) =>
                (await ChangeAsync(whose(http), email, UserChange.Reset, change, cancellationToken)).ToOk(user => ToResponse(user!)))
            .WithName("Reset" + named).WithSummary($"{who}: gives one a new temporary password (and, at Dms's provider, no second factor or passkeys), and ends their sign-ins.");
        users.MapDelete("{email}", (HttpContext http, string email, ChangeUser change, CancellationToken cancellationToken) =>
                NoContentAsync(ChangeAsync(whose(http), email, UserChange.Remove, change, cancellationToken)))
            .WithName("Remove" + named).WithSummary($"{who}: removes one from the identity provider; their sign-ins end.");
    }

    private static Task<Dms.Common.Outcome<NewUser?>> ChangeAsync(Whose whose, string email, UserChange what, ChangeUser change, CancellationToken cancellationToken) =>
        change.HandleAsync(whose.TenantId, email, what, whose.ActingAddress, cancellationToken);

    /// <summary>A change that answers nothing (disable, enable, remove): 204, or its refusal.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> NoContentAsync(Task<Dms.Common.Outcome<NewUser?>> changed) =>
        (await changed).Match<Results<NoContent, ProblemHttpResult>>(_ => TypedResults.NoContent(), error => error.ToProblem());

    private static UserResponse ToResponse(DirectoryUser u) => new(u.Username, u.Subject, u.TenantId, u.Role, u.Enabled, u.MustChangePassword, u.CreatedAt);

    private static NewUserResponse ToResponse(NewUser user) => new(user.Username, user.TenantId, user.Role, user.TemporaryPassword);
}
