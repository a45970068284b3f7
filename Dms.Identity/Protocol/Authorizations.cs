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
    IOpenIddictApplicationManager applications,
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictTokenManager tokens,
    IOptions<ProviderOptions> options,
    TimeProvider time)
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

    /// <summary>Revokes the grants made under one sign-in at the provider.</summary>
    public Task RevokeSessionAsync(string userId, string session, CancellationToken cancellationToken) =>
        RevokeWhereAsync(userId, (_, madeUnder) => madeUnder == session, cancellationToken);

    /// <summary>Revokes one grant of the user's (a device's), found by its id.</summary>
    public Task RevokeAsync(string userId, string authorizationId, CancellationToken cancellationToken) =>
        RevokeWhereAsync(userId, (id, _) => id == authorizationId, cancellationToken);

    /// <summary>Revokes every grant of the user's but those made under <paramref name="keptSession"/> (none: all of them).</summary>
    public Task RevokeAllAsync(string userId, string? keptSession, CancellationToken cancellationToken) =>
        RevokeWhereAsync(userId, (_, madeUnder) => keptSession is null || madeUnder != keptSession, cancellationToken);

    /// <summary>
    /// The devices a user let sign in (<c>dms login</c>): their grants made under no sign-in at the provider that still
    /// hold a token that has not run out, the newest first.
    /// </summary>
    public async Task<IReadOnlyList<DeviceGrant>> DevicesAsync(string userId, CancellationToken cancellationToken)
    {
        var devices = new List<DeviceGrant>();
        var now = time.GetUtcNow();
        await foreach (var authorization in authorizations.FindBySubjectAsync(userId, cancellationToken))
        {
            if (!await authorizations.HasStatusAsync(authorization, Statuses.Valid, cancellationToken)
                || SessionOf(await authorizations.GetPropertiesAsync(authorization, cancellationToken)) is not null)
            {
                continue;
            }

            var id = (await authorizations.GetIdAsync(authorization, cancellationToken))!;
            var live = false;
            await foreach (var token in tokens.FindByAuthorizationIdAsync(id, cancellationToken))
            {
                live |= await tokens.HasStatusAsync(token, Statuses.Valid, cancellationToken)
                        && await tokens.GetExpirationDateAsync(token, cancellationToken) is { } expires && expires > now;
            }

            if (live)
            {
                var application = await applications.FindByIdAsync((await authorizations.GetApplicationIdAsync(authorization, cancellationToken))!, cancellationToken);
                devices.Add(new DeviceGrant(id, application is null ? "unknown" : await applications.GetDisplayNameAsync(application, cancellationToken) ?? "unknown",
                    await authorizations.GetCreationDateAsync(authorization, cancellationToken) ?? now));
            }
        }

        return [.. devices.OrderByDescending(d => d.CreatedAt)];
    }

    private async Task RevokeWhereAsync(string userId, Func<string, string?, bool> revoked, CancellationToken cancellationToken)
    {
        await foreach (var authorization in authorizations.FindBySubjectAsync(userId, cancellationToken))
        {
            var id = (await authorizations.GetIdAsync(authorization, cancellationToken))!;
            if (revoked(id, SessionOf(await authorizations.GetPropertiesAsync(authorization, cancellationToken))))
            {
                await authorizations.TryRevokeAsync(authorization, cancellationToken);
            }
        }
    }

    private static string? SessionOf(ImmutableDictionary<string, JsonElement> properties) =>
        properties.TryGetValue(SessionProperty, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>A device's sign-in: the grant, the client it was given to, when.</summary>
public sealed record DeviceGrant(string Id, string Client, DateTimeOffset CreatedAt);
