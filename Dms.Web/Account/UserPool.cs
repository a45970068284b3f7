using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Dms.Web.Account;

/// <summary>Where users sign in: the OpenID Connect provider that issues the API's tokens (Dms's own, or Cognito's hosted UI).</summary>
public sealed class UserPoolOptions
{
    public const string Section = "Dms:Identity";

    /// <summary>The provider's token issuer, as the API trusts it.</summary>
    public string? Authority { get; set; }

    /// <summary>The client's id (the ID tokens' audience).</summary>
    public string? Audience { get; set; }

    /// <summary>The scopes asked for: Dms's provider gives refresh tokens for <c>offline_access</c>; Cognito gives them unasked and refuses that scope.</summary>
    public string Scopes { get; set; } = "openid email";

    /// <summary>The provider's page where a user manages their own account (Dms's provider has one; Cognito's hosted UI has none).</summary>
    public string? AccountPage { get; set; }
}

/// <summary>The user's tokens from the provider.</summary>
public sealed record PoolTokens(string IdToken, string? RefreshToken, DateTimeOffset ExpiresAt);

/// <summary>How a refresh went: tokens, or why not.</summary>
/// <param name="Unavailable">The provider could not answer (unreachable, throttling, its own error): nothing was refused.</param>
public sealed record SignInOutcome(PoolTokens? Tokens = null, string? Problem = null, bool Unavailable = false);

/// <summary>
/// The provider's standard endpoints as the web server calls them for a signed-in user: the token endpoint to
/// refresh, the revocation endpoint at sign-out, and the address that ends the provider's own session. Found in the
/// provider's discovery document (Cognito's lacks the last two: its hosted UI's <c>/oauth2/revoke</c> and
/// <c>/logout</c> are used).
/// </summary>
public sealed class UserPool(HttpClient http, IOptions<UserPoolOptions> options, IOptionsMonitor<OpenIdConnectOptions> oidc, TimeProvider time)
{
    /// <summary>Trades the refresh token for new tokens (a provider that rotates them gives a new refresh token too).</summary>
    public async Task<SignInOutcome> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = await ConfigurationAsync(cancellationToken);
            using var response = await http.PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = refreshToken,
                ["client_id"] = ClientId,
            }), cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
            {
                return new SignInOutcome(Problem: body.TryGetProperty("error", out var error) ? error.GetString() : "refused");
            }

            if (!response.IsSuccessStatusCode || !body.TryGetProperty("id_token", out var idToken))
            {
                return new SignInOutcome(Problem: $"The provider answered {(int)response.StatusCode}.", Unavailable: true);
            }

            return new SignInOutcome(new PoolTokens(
                idToken.GetString()!,
                body.TryGetProperty("refresh_token", out var rotated) ? rotated.GetString() : null,
                time.GetUtcNow().AddSeconds(body.TryGetProperty("expires_in", out var expiresIn) ? expiresIn.GetInt32() : 3600)));
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new SignInOutcome(Problem: "The sign-in service cannot be reached; try again in a moment.", Unavailable: true);
        }
    }

    /// <summary>
    /// Revokes the refresh token (sign-out), so that it refreshes nothing any more, wherever a copy of it is; false
    /// when the provider could not be asked (the session ends all the same).
    /// </summary>
    public async Task<bool> RevokeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = await ConfigurationAsync(cancellationToken);
            var endpoint = string.IsNullOrEmpty(configuration.RevocationEndpoint)
                ? $"{Origin(configuration.AuthorizationEndpoint)}/oauth2/revoke"
                : configuration.RevocationEndpoint;
            using var response = await http.PostAsync(endpoint, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["token"] = refreshToken,
                ["token_type_hint"] = "refresh_token",
                ["client_id"] = ClientId,
            }), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Where the browser goes to end its session at the provider, coming back to the web app's root: the provider's
    /// end-session endpoint, or Cognito's hosted UI's <c>/logout</c>; null when the provider cannot be asked now (the
    /// session here has ended all the same).
    /// </summary>
    public async Task<string?> LogoutAsync(HttpContext page, CancellationToken cancellationToken)
    {
        Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await ConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        var back = Uri.EscapeDataString($"{page.Request.Scheme}://{page.Request.Host}/");
        var client = Uri.EscapeDataString(ClientId);
        return string.IsNullOrEmpty(configuration.EndSessionEndpoint)
            ? $"{Origin(configuration.AuthorizationEndpoint)}/logout?client_id={client}&logout_uri={back}"
            : $"{configuration.EndSessionEndpoint}?client_id={client}&post_logout_redirect_uri={back}";
    }

    private string ClientId => options.Value.Audience ?? throw new InvalidOperationException($"{UserPoolOptions.Section}:Audience is not set.");

    private static string Origin(string endpoint) => new Uri(endpoint).GetLeftPart(UriPartial.Authority);

    private Task<Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration> ConfigurationAsync(CancellationToken cancellationToken) =>
        oidc.Get(Accounts.ProviderScheme).ConfigurationManager!.GetConfigurationAsync(cancellationToken);
}
