using System.Security.Claims;
using System.Text.Json;
using Dms.Identity.Accounts;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dms.Identity.Protocol;

/// <summary>
/// What a token says of its user, read from the account each time one is issued (a role or tenant changed since the
/// sign-in shows in the next refresh): the subject, the e-mail address, and the tenant and role under the claim names
/// the API reads (<see cref="ProviderOptions.TenantClaim"/>, <see cref="ProviderOptions.RoleClaim"/>).
/// </summary>
public static class TokenClaims
{
    /// <summary>The sign-in at the provider a token was issued under: sign-out there revokes every token that names it.</summary>
    public const string Session = "dms_sid";

    public static ClaimsPrincipal For(DmsUser user, ProviderOptions options, IEnumerable<string> scopes, string? session)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, options.RoleClaim);
        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.Name, user.Email);
        if (session is not null)
        {
            identity.SetClaim(Session, session);
        }

        if (user.TenantId is { } tenant)
        {
            identity.SetClaim(options.TenantClaim, tenant.ToString());
        }

        // A list, as Cognito's groups are, even of one.
        identity.AddClaim(new Claim(options.RoleClaim, JsonSerializer.Serialize(new[] { user.Role }), Microsoft.IdentityModel.JsonWebTokens.JsonClaimValueTypes.JsonArray));
        identity.SetScopes(scopes);
        identity.SetDestinations(claim => claim.Type == Session ? [] : [Destinations.IdentityToken, Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }
}
