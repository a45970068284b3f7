using System.Security.Claims;
using Dms.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Dms.Web.Account;

/// <summary>
/// The signed-in user is an encrypted, HttpOnly, SameSite cookie holding the pool's tokens: browser scripts never see
/// a token. The web server calls the API with the user's ID token (backend-for-frontend); the API decides what they may do.
/// </summary>
public static class Accounts
{
    public const string SignInPath = "/signin";

    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCheckedOptions<UserPoolOptions>(UserPoolOptions.Section);
        builder.Services.AddHttpClient<UserPool>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
        {
            options.LoginPath = SignInPath;
            options.Cookie.Name = "dms";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.Events.OnValidatePrincipal = async context =>
            {
                var services = context.HttpContext.RequestServices;
                var pool = services.GetRequiredService<UserPool>();
                var validation = await SessionTokens.ValidateAsync(context.Properties, services.GetRequiredService<TimeProvider>().GetUtcNow(),
                    async refreshToken => (await pool.RefreshAsync(refreshToken, context.HttpContext.RequestAborted)).Tokens);
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

    /// <summary>Sign-out is a form post (antiforgery checked), never a link a page could make the browser follow.</summary>
    public static WebApplication MapAccounts(this WebApplication app)
    {
        app.MapPost("/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync();
            return Results.LocalRedirect(SignInPath);
        });
        return app;
    }
}
