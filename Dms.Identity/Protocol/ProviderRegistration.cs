using Dms.Common;
using Dms.Identity.Accounts;
using Dms.Identity.Keys;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dms.Identity.Protocol;

/// <summary>
/// The OpenID Connect server (OpenIddict) over the accounts (ASP.NET Core Identity): the authorization code flow with
/// PKCE for the web app, the device flow for <c>dms login</c>, rotating refresh tokens that sign-out revokes, and
/// sign-out that ends the provider's own session. Every token is signed with this installation's keys.
/// </summary>
public static class ProviderRegistration
{
    public static IHostApplicationBuilder AddProvider(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ProviderOptions.Section).Get<ProviderOptions>() ?? new ProviderOptions();
        builder.Services.AddCheckedOptions<ProviderOptions>(ProviderOptions.Section);
        var keyOptions = builder.Configuration.GetSection(KeyOptions.Section).Get<KeyOptions>() ?? new KeyOptions();
        var keys = KeyRing.Open(keyOptions, DateTimeOffset.UtcNow);
        var connectionString = builder.Configuration.GetConnectionString(IdentityDatabase.ConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{IdentityDatabase.ConnectionName} is required: the database that keeps the accounts.");

        builder.Services.AddDbContext<IdentityDatabase>(db => IdentityDatabase.Configure(db, connectionString));
        builder.Services.AddIdentity<DmsUser, IdentityRole>(identity =>
            {
                identity.User.RequireUniqueEmail = true;
                // Every sign-in asks EnabledAccounts: a disabled account is refused before its password is checked.
                identity.SignIn.RequireConfirmedAccount = true;
                identity.Stores.SchemaVersion = IdentityDatabase.IdentitySchema;
                identity.Lockout.AllowedForNewUsers = true;
                identity.Lockout.MaxFailedAccessAttempts = options.Lockout.MaxFailedAttempts;
                identity.Lockout.DefaultLockoutTimeSpan = options.Lockout.Duration;
                PasswordRules.Apply(identity.Password);
            })
            .AddEntityFrameworkStores<IdentityDatabase>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<AuthenticatorCodes>(TokenOptions.DefaultAuthenticatorProvider)
            .AddUserConfirmation<EnabledAccounts>();
        builder.Services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "dms-identity";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.LoginPath = "/signin";
            cookie.LogoutPath = "/signout";
            cookie.ExpireTimeSpan = options.SessionLifetime;
            cookie.SlidingExpiration = false;
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<ProviderSessions>();
        builder.Services.AddScoped<UserSessions>();
        builder.Services.AddHostedService<ProviderHousekeeping>();
        builder.Services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<ProviderSessions>((cookie, sessions) => cookie.SessionStore = sessions);
        // A disabled or removed account, or a changed password, ends its sessions at their next request.
        builder.Services.Configure<SecurityStampValidatorOptions>(stamp => stamp.ValidationInterval = TimeSpan.Zero);

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDatabase>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/endsession")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetDeviceAuthorizationEndpointUris("connect/device")
                    .SetEndUserVerificationEndpointUris("connect/verify");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowDeviceAuthorizationFlow()
                    .AllowRefreshTokenFlow();
                server.RegisterScopes(OpenIddict.Abstractions.OpenIddictConstants.Scopes.Email, OpenIddict.Abstractions.OpenIddictConstants.Scopes.OfflineAccess);
                server.SetIdentityTokenLifetime(options.IdentityTokenLifetime)
                    .SetAccessTokenLifetime(options.IdentityTokenLifetime)
                    .SetRefreshTokenLifetime(options.SessionLifetime)
                    .SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(2))
                    .SetDeviceCodeLifetime(TimeSpan.FromMinutes(10))
                    .SetUserCodeLifetime(TimeSpan.FromMinutes(10));
                foreach (var key in keys.SigningKeys)
                {
                    server.AddSigningKey(key);
                }

                foreach (var key in keys.EncryptionKeys)
                {
                    server.AddEncryptionKey(key);
                }

                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableEndUserVerificationEndpointPassthrough()
                    .EnableStatusCodePagesIntegration();
                if (options.AllowHttp)
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }

                if (options.Issuer is { } issuer)
                {
                    server.SetIssuer(issuer);
                }
            });

        builder.Services.AddScoped<Authorizations>();
        return builder;
    }

    /// <summary>The one client, as the settings name it: registered at start, updated when the settings change.</summary>
    public static OpenIddict.Abstractions.OpenIddictApplicationDescriptor Client(ProviderOptions options)
    {
        var client = new OpenIddict.Abstractions.OpenIddictApplicationDescriptor
        {
            ClientId = options.ClientId,
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "Dms",
            Permissions =
            {
                OpenIddictConstants.Permissions.Endpoints.Authorization,
                OpenIddictConstants.Permissions.Endpoints.Token,
                OpenIddictConstants.Permissions.Endpoints.EndSession,
                OpenIddictConstants.Permissions.Endpoints.Revocation,
                OpenIddictConstants.Permissions.Endpoints.DeviceAuthorization,
                OpenIddictConstants.Permissions.GrantTypes.AuthorizationCode,
                OpenIddictConstants.Permissions.GrantTypes.RefreshToken,
                OpenIddictConstants.Permissions.GrantTypes.DeviceCode,
                OpenIddictConstants.Permissions.ResponseTypes.Code,
                OpenIddictConstants.Permissions.Scopes.Email,
                OpenIddictConstants.Permissions.Prefixes.Scope + OpenIddict.Abstractions.OpenIddictConstants.Scopes.OfflineAccess,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in options.RedirectUris)
        {
            client.RedirectUris.Add(new Uri(uri));
        }

        foreach (var uri in options.PostLogoutRedirectUris)
        {
            client.PostLogoutRedirectUris.Add(new Uri(uri));
        }

        return client;
    }
}
