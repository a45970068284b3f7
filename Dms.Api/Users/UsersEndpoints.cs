using System.Net.Mail;
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
        endpoints.MapPost("/api/v1/admin/tenants/{id:guid}/users", CreateAsync)
            .WithTags("Tenants (operator)")
            .WithSummary("Adds a user of the tenant to the identity provider, in a role (viewer, editor, admin), with a temporary password.")
            .RequireAuthorization(Policies.Operate);
        endpoints.MapPost("/api/v1/tenant/users", CreateOwnAsync)
            .WithTags("Tenant")
            .WithSummary("A tenant's admin adds a user of their own tenant, in a role (viewer, editor, admin), with a temporary password.")
            .RequireAuthorization(Policies.Administer);
        return endpoints;
    }

    private static Task<Results<Created<NewUser>, ProblemHttpResult>> CreateOwnAsync(
        Caller caller, NewUserRequest request, TenantService tenants, IUserDirectory directory, CancellationToken cancellationToken) =>
        CreateAsync(caller.TenantId, request, tenants, directory, cancellationToken);

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
        catch (UserDirectoryException e) when (e.UserExists)
        {
            return new Error(ErrorKind.Conflict, "user-exists", $"The identity provider already has a user {address.Address}.").ToProblem();
        }
        catch (UserDirectoryException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status502BadGateway, title: "Identity provider error",
                type: ProblemTypes.For("identity-provider-error"));
        }
    }
}
