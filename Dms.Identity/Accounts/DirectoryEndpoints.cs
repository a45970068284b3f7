using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Dms.Contracts;
using Dms.Identity.Protocol;
using Dms.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Dms.Identity.Accounts;

/// <summary>
/// Where the api adds users (<see cref="IUserDirectory"/>): only with the directory key the AppHost gave both, never
/// from a browser. The api has decided that its caller may; the provider makes the account, with a temporary password
/// the user replaces at their first sign-in.
/// </summary>
public static class DirectoryEndpoints
{
    public sealed record NewUserRequest(string? Email, Guid? TenantId, string? Role);

    public static IEndpointRouteBuilder MapDirectory(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/directory/users", CreateAsync);
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, NewUserRequest request, UserManager<DmsUser> users, IOptions<ProviderOptions> options, TimeProvider time)
    {
        if (!ShowsKey(http, options.Value.DirectoryKey))
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, detail: "The directory is only for the api, with its key.");
        }

        if (request.Email is not { } email || !MailAddress.TryCreate(email, out var address) || address.Address != email
            || request.TenantId is not { } tenantId || request.Role is not { } role || !Roles.InTenant.Contains(role))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "A new user needs one e-mail address, a tenant and a role of a tenant.");
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
            ? Results.Created($"/directory/users/{Uri.EscapeDataString(email)}", new NewUser(email, tenantId, role, password))
            : Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: string.Join(" ", created.Errors.Select(e => e.Description)));
    }

    private static bool ShowsKey(HttpContext http, string? key) =>
        key is { Length: > 0 }
        && http.Request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..]), Encoding.UTF8.GetBytes(key));
}
