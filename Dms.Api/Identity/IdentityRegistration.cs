using System.IdentityModel.Tokens.Jwt;
using Dms.Contracts;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Dms.Api.Identity;

public static class IdentityRegistration
{
    /// <summary>
    /// JWT bearer tokens from the configured OIDC issuer. The tenant comes from a claim, the roles from the user's
    /// groups; a Cognito user pool works unchanged.
    /// </summary>
    public static IHostApplicationBuilder AddIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.TenantClaim), $"{IdentityOptions.Section}:TenantClaim must not be empty.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.RoleClaim), $"{IdentityOptions.Section}:RoleClaim must not be empty.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Audience),
                $"{IdentityOptions.Section}:Audience is required: the app client id the API's tokens are issued for (tokens for any other client of the pool are refused).")
            .Validate(o => o.Authority is null || Uri.IsWellFormedUriString(o.Authority, UriKind.Absolute),
                $"{IdentityOptions.Section}:Authority must be an absolute URL.")
            .Validate(o => o.Authority is null || !o.RequireHttpsMetadata || o.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase),
                $"{IdentityOptions.Section}:Authority must use https, unless {IdentityOptions.Section}:RequireHttpsMetadata is false (a local issuer).")
            .ValidateOnStart();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<IdentityOptions>>((bearer, identity) => Configure(bearer, identity.Value));

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Read, TenantPolicy(Roles.Readers))
            .AddPolicy(Policies.Write, TenantPolicy(Roles.Writers))
            .AddPolicy(Policies.Administer, TenantPolicy(Roles.Administrators))
            .AddPolicy(Policies.Delete, policy =>
            {
                TenantPolicy(Roles.Writers)(policy);
                policy.RequireAssertion(context => !IsPermanentDelete(context.Resource as HttpContext) || Roles.Administrators.Any(context.User.IsInRole));
            })
            .AddPolicy(Policies.Operate, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Operator));
        return builder;
    }

    private static void Configure(JwtBearerOptions bearer, IdentityOptions identity)
    {
        bearer.Authority = identity.Authority;
        bearer.RequireHttpsMetadata = identity.RequireHttpsMetadata;
        bearer.MapInboundClaims = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            ValidateAudience = true,
            // Cognito access tokens carry the app client in client_id; ID tokens carry it in aud.
            AudienceValidator = (audiences, token, _) =>
                audiences.Contains(identity.Audience)
                || (token is Microsoft.IdentityModel.JsonWebTokens.JsonWebToken jwt
                    && jwt.TryGetPayloadValue<string>("client_id", out var clientId)
                    && clientId == identity.Audience),
            RoleClaimType = identity.RoleClaim,
            NameClaimType = JwtRegisteredClaimNames.Sub,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>Any <c>permanent</c> value but <c>false</c> counts: what the route would not bind is refused as the admin's.</summary>
    private static bool IsPermanentDelete(HttpContext? http) =>
        http is null || (http.Request.Query.TryGetValue("permanent", out var value) && !(bool.TryParse(value, out var permanent) && !permanent));

    /// <summary>A user of one tenant (the token names it) in one of <paramref name="roles"/>.</summary>
    private static Action<AuthorizationPolicyBuilder> TenantPolicy(params string[] roles) => policy => policy
        .RequireAuthenticatedUser()
        .RequireRole(roles)
        .RequireAssertion(context =>
        {
            var options = (context.Resource as HttpContext)?.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value;
            return options is not null && Caller.From(context.User, options) is not null;
        });
}
