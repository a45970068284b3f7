using System.Text.Json;
using Dms.Identity.Accounts;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dms.Identity.Protocol;

/// <summary>
/// The endpoints OpenIddict hands over once it has checked a request: authorize (a signed-in user gets a code),
/// token (a code, a refresh token or a device code becomes tokens, from the account as it is now) and end session.
/// </summary>
public static class ProtocolEndpoints
{
    public static IEndpointRouteBuilder MapProtocol(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync);
        endpoints.MapPost("/connect/token", ExchangeAsync);
        endpoints.MapMethods("/connect/endsession", [HttpMethods.Get, HttpMethods.Post], EndSessionAsync);
        return endpoints;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, UserManager<DmsUser> users, SignInManager<DmsUser> signIn, Authorizations authorizations)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be read.");
        var signedIn = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = signedIn.Succeeded ? await users.GetUserAsync(signedIn.Principal) : null;
        if (user is null || !await signIn.CanSignInAsync(user) || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "The user is not signed in.");
            }

            // Back here once signed in; prompt=login is dropped so the sign-in is not asked for again.
            var parameters = request.GetParameters().Where(p => p.Key != Parameters.Prompt).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
            return Results.Challenge(new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + QueryString.Create(parameters) },
                [IdentityConstants.ApplicationScheme]);
        }

        var principal = await authorizations.IssueAsync(user, request.ClientId!, request.GetScopes(), ProviderSessions.IdOf(signedIn.Properties));
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> ExchangeAsync(HttpContext http, UserManager<DmsUser> users, SignInManager<DmsUser> signIn, IOptions<ProviderOptions> options)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be read.");
        if (!request.IsAuthorizationCodeGrantType() && !request.IsRefreshTokenGrantType() && !request.IsDeviceCodeGrantType())
        {
            return Refuse(Errors.UnsupportedGrantType, "The grant type is not supported.");
        }

        // OpenIddict has checked the code, refresh token or device code: single use, this client, PKCE, not revoked.
        var granted = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal!;
        var user = await users.FindByIdAsync(granted.GetClaim(Claims.Subject)!);
        if (user is null || !await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user))
        {
            return Refuse(Errors.InvalidGrant, "The account can no longer sign in.");
        }

        var principal = TokenClaims.For(user, options.Value, granted.GetScopes(), granted.GetClaim(TokenClaims.Session));
        principal.SetAuthorizationId(granted.GetAuthorizationId());
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// Ends the sign-in at the provider: its session row goes (a copy of the cookie opens nothing after) and every
    /// token issued under it is revoked; then back to where the client asked, if it registered that address.
    /// </summary>
    private static async Task<IResult> EndSessionAsync(HttpContext http, SignInManager<DmsUser> signIn, UserManager<DmsUser> users, Authorizations authorizations)
    {
        var signedIn = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (signedIn.Succeeded && await users.GetUserAsync(signedIn.Principal) is { } user && ProviderSessions.IdOf(signedIn.Properties) is { } session)
        {
            await authorizations.RevokeSessionAsync(user.Id, session, http.RequestAborted);
        }

        await signIn.SignOutAsync();
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/signed-out" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    public static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
