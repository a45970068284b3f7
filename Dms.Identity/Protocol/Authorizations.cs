using System.Collections.Immutable;
using System.Security.Claims;
using System.Text.Json;
using Dms.Identity.Accounts;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dms.Identity.Protocol;

/// <summary>
/// Every grant (a code for the web app, a device's sign-in) is an authorization the provider keeps, named in the
/// tokens it issues; the sign-in at the provider it was made under is kept with it, so that signing out there revokes
/// it and, with it, every refresh token still out.
/// </summary>
public sealed class Authorizations(
    IOpenIddictApplicationManager applications, IOpenIddictAuthorizationManager authorizations, IOptions<ProviderOptions> options, TimeProvider time)
{
    private const string SessionProperty = "dms_session";

    public async Task<ClaimsPrincipal> IssueAsync(DmsUser user, string clientId, ImmutableArray<string> scopes, string? session)
    {
        var principal = TokenClaims.For(user, options.Value, scopes, session);
        var application = await applications.FindByClientIdAsync(clientId) ?? throw new InvalidOperationException($"No client {clientId}.");
        var descriptor = new OpenIddictAuthorizationDescriptor
        {
            ApplicationId = await applications.GetIdAsync(application),
            Subject = user.Id,
            Status = Statuses.Valid,
            Type = AuthorizationTypes.AdHoc,
            CreationDate = time.GetUtcNow(),
        };
        descriptor.Scopes.UnionWith(scopes);
        if (session is not null)
        {
            descriptor.Properties[SessionProperty] = JsonSerializer.SerializeToElement(session);
        }

        var authorization = await authorizations.CreateAsync(descriptor);
        principal.SetAuthorizationId(await authorizations.GetIdAsync(authorization));
        return principal;
    }

    public async Task RevokeSessionAsync(string userId, string session, CancellationToken cancellationToken)
    {
        await foreach (var authorization in authorizations.FindBySubjectAsync(userId, cancellationToken))
        {
            var properties = await authorizations.GetPropertiesAsync(authorization, cancellationToken);
            if (properties.TryGetValue(SessionProperty, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == session)
            {
                await authorizations.TryRevokeAsync(authorization, cancellationToken);
            }
        }
    }
}
