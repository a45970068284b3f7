using Dms.Identity.Accounts;
using Dms.Identity.Pages;
using Dms.Identity.Protocol;

namespace Dms.Identity;

/// <summary>
/// Dms's own OpenID Connect provider for the single-machine profiles (AWS has Cognito): accounts with lockout and
/// two-factor sign-in, signing keys of this installation only, and the flows the web app and <c>dms login</c> use.
/// </summary>
public sealed class IdentityProgram
{
    private IdentityProgram()
    {
    }

    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddProvider();
        builder.Services.AddAuthentication().AddFirstSignIn();
        builder.Services.AddSignInThrottle(builder.Configuration.GetSection(ProviderOptions.Section).Get<ProviderOptions>() ?? new ProviderOptions());
        builder.Services.AddRazorPages();

        var app = builder.Build();
        app.UsePageHeaders();
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapDefaultEndpoints();
        app.MapProtocol();
        app.MapDirectory();
        app.MapGet("/", () => Results.LocalRedirect("/account"));
        app.MapRazorPages();

        await ProviderStartup.PrepareAsync(app.Services, CancellationToken.None);
        await app.RunAsync();
    }
}
