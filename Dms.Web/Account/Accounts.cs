using System.Security.Claims;
using Dms.Common;
using Dms.Persistence;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Dms.Web.Account;

/// <summary>
/// The signed-in user is a session on the server (<see cref="SessionStore"/>, holding the pool's tokens) named by an
/// encrypted, HttpOnly, SameSite cookie: browser scripts never see a token, and sign-out ends the session wherever a
/// copy of the cookie is. A session ends <see cref="SessionTokens.SessionLifetime"/> after sign-in, however active.
/// The web server calls the API with the user's ID token (backend-for-frontend); the API decides what they may do.
/// </summary>
public static class Accounts
{
    public const string SignInPath = "/signin";

    /// <summary>Where sign-in goes with a hosted UI: a challenge that sends the browser to the pool.</summary>
    public const string HostedSignInPath = "/signin/pool";

    private const string PoolScheme = "pool";

    public const string ForbiddenPath = "/forbidden";

    /// <summary>Where sign-out lands with a hosted UI: it goes on to the pool's own logout.</summary>
    public const string SignedOutPath = "/signed-out";

    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<UserPoolOptions>(UserPoolOptions.Section);
        builder.Services.AddHttpClient<UserPool>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.AddDmsDataSource();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<SignInChallenges>();
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionStore>((cookie, sessions) => cookie.SessionStore = sessions);
        var pool = builder.Configuration.GetSection(UserPoolOptions.Section).Get<UserPoolOptions>() ?? new UserPoolOptions();
        var authentication = builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme);
        if (pool.HostedUi)
        {
            authentication.AddOpenIdConnect(PoolScheme, options =>
            {
                options.Authority = pool.Authority;
                options.ClientId = pool.Audience;
                options.ResponseType = "code";
                options.UsePkce = true;
                options.Scope.Clear();
                options.Scope.Add("openid");
                options.Scope.Add("email");
                options.MapInboundClaims = false;
                options.TokenValidationParameters.NameClaimType = "email";
                options.TokenValidationParameters.RoleClaimType = "cognito:groups";
                options.RequireHttpsMetadata = pool.Authority?.StartsWith("https:", StringComparison.Ordinal) ?? true;
                // The pool's tokens go into the session cookie as a password sign-in puts them, and are refreshed the same way.
                options.SaveTokens = true;
                options.Events.OnTicketReceived = context =>
                {
                    context.Properties!.IsPersistent = false;
                    context.Properties.ExpiresUtc = DateTimeOffset.UtcNow + SessionTokens.SessionLifetime;
                    return Task.CompletedTask;
                };
            });
        }

        authentication.AddCookie(options =>
        {
            options.LoginPath = pool.HostedUi ? HostedSignInPath : SignInPath;
            // A signed-in user whose role a page refuses is told so (403), not shown the page's actions.
            options.AccessDeniedPath = ForbiddenPath;
            options.Cookie.Name = "dms";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // An absolute lifetime: activity never extends a session (the store keeps its end).
            options.ExpireTimeSpan = SessionTokens.SessionLifetime;
            options.SlidingExpiration = false;
            options.Events.OnValidatePrincipal = async context =>
            {
                var services = context.HttpContext.RequestServices;
                var pool = services.GetRequiredService<UserPool>();
                var validation = await SessionTokens.ValidateAsync(context.Properties, services.GetRequiredService<TimeProvider>().GetUtcNow(),
                    refreshToken => pool.RefreshAsync(refreshToken, context.HttpContext.RequestAborted));
                if (validation == SessionTokens.Validation.Refreshed)
                {
                    context.ShouldRenew = true;
                }
                else if (validation == SessionTokens.Validation.Ended)
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync();
                }
            };
        });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>Where a user lands after signing in: operators on the operations page, a tenant's users on its documents.</summary>
    public static string HomeOf(ClaimsPrincipal user) => user.CanOperate() ? "/operator" : "/documents";

    /// <summary>Signs the user in to the web app with the pool's tokens: their name, tenant and roles come from the ID token.</summary>
    public static async Task<ClaimsPrincipal> SignInAsync(HttpContext http, PoolTokens tokens)
    {
        var claims = tokens.Claims;
        var identity = new ClaimsIdentity(CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, claims["email"]?.GetValue<string>() ?? claims["cognito:username"]?.GetValue<string>() ?? "user"));
        foreach (var group in claims["cognito:groups"]?.AsArray() ?? [])
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, group!.GetValue<string>()));
        }

        var properties = new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow + SessionTokens.SessionLifetime, IsPersistent = false };
        SessionTokens.Store(properties, tokens);
        var principal = new ClaimsPrincipal(identity);
        await http.SignInAsync(principal, properties);
        return principal;
    }

    /// <summary>
    /// Sign-out is a form post with the page's antiforgery token, never a link or a post another site could make the
    /// browser send. It deletes the session (a copy of the cookie opens nothing after), revokes the pool's refresh
    /// token, and with a hosted UI sends the browser to the pool's logout, which ends the pool's own session.
    /// </summary>
    public static WebApplication MapAccounts(this WebApplication app)
    {
        var pool = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<UserPoolOptions>>().Value;
        var hostedUi = pool.HostedUi;
        app.MapPost("/signout", async (HttpContext http, IAntiforgery antiforgery, UserPool users, CancellationToken cancellationToken) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "The page is out of date: reload it and sign out again.");
            }

            var refreshToken = await http.GetTokenAsync("refresh_token");
            await http.SignOutAsync();
            if (refreshToken is not null)
            {
                await users.RevokeAsync(refreshToken, cancellationToken);
            }

            return Results.LocalRedirect(hostedUi ? SignedOutPath : SignInPath);
        });
        if (hostedUi)
        {
            app.MapGet(HostedSignInPath, (string? returnUrl) => Results.Challenge(
                new AuthenticationProperties { RedirectUri = returnUrl is { } url && url.StartsWith('/') && !url.StartsWith("//") ? url : "/" }, [PoolScheme]));
        }
        return app;
    }

    /// <summary>
    /// The hosted UI's logout (on the domain of its authorization endpoint), coming back to the web app's root. The
    /// signed-out page sends the browser there by a refresh, not a redirect of the sign-out post: a form's redirects
    /// may only go where the pages' <c>form-action</c> allows, and the hosted UI's domain is known only from the pool.
    /// </summary>
    public static async Task<string> PoolLogoutAsync(HttpContext http, UserPoolOptions pool, CancellationToken cancellationToken)
    {
        var oidc = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<OpenIdConnectOptions>>().Get(PoolScheme);
        var configuration = await oidc.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
        var domain = new Uri(configuration.AuthorizationEndpoint).GetLeftPart(UriPartial.Authority);
        var back = $"{http.Request.Scheme}://{http.Request.Host}/";
        return $"{domain}/logout?client_id={Uri.EscapeDataString(pool.Audience ?? "")}&logout_uri={Uri.EscapeDataString(back)}";
    }
}
