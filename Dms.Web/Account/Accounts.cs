using System.Security.Claims;
using Dms.Common;
using Dms.Persistence;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Dms.Web.Account;

/// <summary>
/// People sign in at the OpenID Connect provider (Dms's own on one machine, Cognito's hosted UI on AWS) by the code
/// flow with PKCE: the web app never sees a password. The signed-in user is then a session on the server
/// (<see cref="SessionStore"/>, holding the provider's tokens) named by an encrypted, HttpOnly, SameSite cookie:
/// browser scripts never see a token, and sign-out ends the session wherever a copy of the cookie is. A session ends
/// <see cref="SessionTokens.SessionLifetime"/> after sign-in, however active. The web server calls the API with the
/// user's ID token (backend-for-frontend); the API decides what they may do.
/// </summary>
public static class Accounts
{
    /// <summary>Where a person who is not signed in is sent: a challenge that sends the browser on to the provider.</summary>
    public const string SignInPath = "/signin";

    public const string ProviderScheme = "provider";

    /// <summary>Where a sign-in that named no page lands: the signed-in user's start page (<see cref="HomeOf"/>).</summary>
    public const string HomePath = "/home";

    public const string ForbiddenPath = "/forbidden";

    /// <summary>Where sign-out lands: it goes on to the provider's own sign-out.</summary>
    public const string SignedOutPath = "/signed-out";

    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<UserPoolOptions>(UserPoolOptions.Section);
        builder.Services.AddHttpClient<UserPool>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.AddDmsDataSource();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionStore>((cookie, sessions) => cookie.SessionStore = sessions);
        var pool = builder.Configuration.GetSection(UserPoolOptions.Section).Get<UserPoolOptions>() ?? new UserPoolOptions();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddOpenIdConnect(ProviderScheme, options =>
            {
                options.Authority = pool.Authority;
                options.ClientId = pool.Audience;
                options.ResponseType = "code";
                // The code comes back in the query of a redirect (Cognito knows no other way; a form post back would
                // need a script on the provider's page, and its pages run none).
                options.ResponseMode = "query";
                options.UsePkce = true;
                options.Scope.Clear();
                foreach (var scope in pool.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    options.Scope.Add(scope);
                }

                options.MapInboundClaims = false;
                options.TokenValidationParameters.NameClaimType = "email";
                options.TokenValidationParameters.RoleClaimType = "cognito:groups";
                options.RequireHttpsMetadata = pool.Authority?.StartsWith("https:", StringComparison.Ordinal) ?? true;
                // The provider's tokens go into the session, and are refreshed before they expire (SessionTokens).
                options.SaveTokens = true;
                options.Events.OnTicketReceived = context =>
                {
                    context.Properties!.IsPersistent = false;
                    context.Properties.ExpiresUtc = DateTimeOffset.UtcNow + SessionTokens.SessionLifetime;
                    return Task.CompletedTask;
                };
            })
            .AddCookie(options =>
            {
                options.LoginPath = SignInPath;
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
                    var provider = services.GetRequiredService<UserPool>();
                    var validation = await SessionTokens.ValidateAsync(context.Properties, services.GetRequiredService<TimeProvider>().GetUtcNow(),
                        refreshToken => provider.RefreshAsync(refreshToken, context.HttpContext.RequestAborted));
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

    /// <summary>
    /// Sign-in is a challenge that sends the browser to the provider. Sign-out is a form post with the page's
    /// antiforgery token, never a link or a post another site could make the browser send: it deletes the session (a
    /// copy of the cookie opens nothing after), revokes the provider's refresh token, and the signed-out page sends
    /// the browser on to the provider's own sign-out, which ends its session there.
    /// </summary>
    public static WebApplication MapAccounts(this WebApplication app)
    {
        app.MapGet(SignInPath, (string? returnUrl) => Results.Challenge(
            new AuthenticationProperties { RedirectUri = returnUrl is { } url && url.StartsWith('/') && !url.StartsWith("//") ? url : HomePath }, [ProviderScheme]));
        app.MapGet(HomePath, (HttpContext http) => Results.LocalRedirect(HomeOf(http.User))).RequireAuthorization();
        app.MapPost("/signout", async (HttpContext http, IAntiforgery antiforgery, UserPool provider, CancellationToken cancellationToken) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "The page is out of date: reload it and sign out again.");
            }

            var refreshToken = await http.GetTokenAsync("refresh_token");
            await http.SignOutAsync();
            if (refreshToken is not null)
            {
                await provider.RevokeAsync(refreshToken, cancellationToken);
            }

            return Results.LocalRedirect(SignedOutPath);
        });
        return app;
    }
}
