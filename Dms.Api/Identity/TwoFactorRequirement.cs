using Dms.Api.Problems;
using Microsoft.Extensions.Options;

namespace Dms.Api.Identity;

/// <summary>
/// A user in one of <see cref="IdentityOptions.TwoFactorRoles"/> (on AWS: admin and operator, who manage a tenant or
/// cross every tenant) is served only when the token says they sign in with a second factor; a password alone is
/// refused with 403 <c>two-factor-required</c> and how to set one up.
/// </summary>
public static class TwoFactorRequirement
{
    public static IApplicationBuilder UseTwoFactorRequirement(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var identity = http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value;
        if (identity.TwoFactorRoles.Length > 0
            && http.User.Identity?.IsAuthenticated == true
            && identity.TwoFactorRoles.FirstOrDefault(http.User.IsInRole) is { } role
            && http.User.FindFirst(identity.TwoFactorClaim)?.Value != "true")
        {
            await TypedResults.Problem(
                detail: $"Users with the role {role} sign in with a second factor. Set up an authenticator app with "
                    + "'dms login --user YOUR-EMAIL --set-up-two-factor', then sign in again.",
                statusCode: StatusCodes.Status403Forbidden,
                type: ProblemTypes.For("two-factor-required")).ExecuteAsync(http);
            return;
        }

        await next(http);
    });
}
