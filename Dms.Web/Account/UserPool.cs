using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dms.AwsApi;
using Microsoft.Extensions.Options;

namespace Dms.Web.Account;

/// <summary>Where users sign in: the Cognito user pool (or its local stand-in) that issues the API's tokens.</summary>
public sealed class UserPoolOptions
{
    public const string Section = "Dms:Identity";

    /// <summary>The pool's token issuer, <c>{endpoint}/{poolId}</c>, as the API trusts it.</summary>
    public string? Authority { get; set; }

    /// <summary>The app client's id (the tokens' audience).</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// The pool has a hosted sign-in UI (a Cognito user pool with a domain): people sign in there, by the OpenID Connect
    /// code flow with PKCE, and the web app never sees a password. Off: the web app's own sign-in form
    /// (<c>USER_PASSWORD_AUTH</c>), which the local stand-in, without a hosted UI, needs.
    /// </summary>
    public bool HostedUi { get; set; }
}

/// <summary>The user's tokens from the pool, and what the ID token says of them.</summary>
public sealed record PoolTokens(string IdToken, string? RefreshToken, DateTimeOffset ExpiresAt)
{
    /// <summary>The ID token's claims (the pool signed them; the API checks the signature on every call).</summary>
    public JsonObject Claims
    {
        get
        {
            var payload = IdToken.Split('.')[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)))!.AsObject();
        }
    }
}

/// <summary>How a sign-in went: tokens, a new password to choose (the first sign-in), or a problem to show.</summary>
/// <param name="Unavailable">The pool could not answer (unreachable, throttling, its own error): nothing was refused.</param>
public sealed record SignInOutcome(PoolTokens? Tokens = null, string? NewPasswordSession = null, string? Problem = null, bool Unavailable = false);

/// <summary>
/// Signs users in with the pool's <c>USER_PASSWORD_AUTH</c> flow from the web server (the local stand-in has no hosted
/// UI), including the new-password challenge of a user's first sign-in. The password goes from the form to the pool
/// and nowhere else.
/// </summary>
public sealed class UserPool(HttpClient http, IOptions<UserPoolOptions> options, TimeProvider time)
{
    public async Task<SignInOutcome> SignInAsync(string username, string password, CancellationToken cancellationToken) =>
        await CallAsync("InitiateAuth", new
        {
            AuthFlow = "USER_PASSWORD_AUTH",
            ClientId = ClientId,
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = username, ["PASSWORD"] = password },
        }, cancellationToken);

    public async Task<SignInOutcome> SetNewPasswordAsync(string username, string session, string newPassword, CancellationToken cancellationToken) =>
        await CallAsync("RespondToAuthChallenge", new
        {
            ChallengeName = "NEW_PASSWORD_REQUIRED",
            ClientId = ClientId,
            Session = session,
            ChallengeResponses = new Dictionary<string, string> { ["USERNAME"] = username, ["NEW_PASSWORD"] = newPassword },
        }, cancellationToken);

    /// <summary>Trades the refresh token for a new ID token (the pool keeps the refresh token: the answer has none).</summary>
    public async Task<SignInOutcome> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var outcome = await CallAsync("InitiateAuth", new
        {
            AuthFlow = "REFRESH_TOKEN_AUTH",
            ClientId = ClientId,
            AuthParameters = new Dictionary<string, string> { ["REFRESH_TOKEN"] = refreshToken },
        }, cancellationToken);
        return outcome.Tokens is { } tokens ? outcome with { Tokens = tokens with { RefreshToken = tokens.RefreshToken ?? refreshToken } } : outcome;
    }

    /// <summary>
    /// Revokes the refresh token at the pool (sign-out), so that it refreshes nothing any more, wherever a copy of it
    /// is; false when the pool could not be asked (the session ends all the same).
    /// </summary>
    public async Task<bool> RevokeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var (endpoint, _) = CognitoApi.PoolOf(options.Value.Authority ?? throw new InvalidOperationException($"{UserPoolOptions.Section}:Authority is not set."));
        try
        {
            await CognitoApi.CallAsync(http, endpoint, "RevokeToken", new { Token = refreshToken, ClientId }, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is AwsApiException or HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private const string WrongCredentials = "The e-mail address or the password is not right.";

    /// <summary>What the pool answers when it refuses the user or their token; any other error is the pool's own (throttling, down).</summary>
    private static readonly HashSet<string> Refusals =
        ["NotAuthorizedException", "UserNotFoundException", "InvalidPasswordException", "PasswordResetRequiredException", "UserNotConfirmedException", "InvalidParameterException"];

    private string ClientId => options.Value.Audience ?? throw new InvalidOperationException($"{UserPoolOptions.Section}:Audience is not set.");

    private async Task<SignInOutcome> CallAsync(string action, object body, CancellationToken cancellationToken)
    {
        var (endpoint, _) = CognitoApi.PoolOf(options.Value.Authority ?? throw new InvalidOperationException($"{UserPoolOptions.Section}:Authority is not set."));
        JsonNode answer;
        try
        {
            answer = await CognitoApi.CallAsync(http, endpoint, action, body, cancellationToken);
        }
        catch (AwsApiException e)
        {
            return new SignInOutcome(Problem: e.Type switch
            {
                "NotAuthorizedException" or "UserNotFoundException" => WrongCredentials,
                // The local stand-in answers a wrong password so; a new password breaking the pool's policy is the same type.
                "InvalidPasswordException" when action == "InitiateAuth" => WrongCredentials,
                "InvalidPasswordException" => "That password is not allowed: use at least 8 characters with upper and lower case letters, a digit and a symbol.",
                "PasswordResetRequiredException" => "Your password must be reset: ask your administrator.",
                _ => "Signing in did not work; try again in a moment.",
            }, Unavailable: !Refusals.Contains(e.Type));
        }
        catch (HttpRequestException)
        {
            return new SignInOutcome(Problem: "The sign-in service cannot be reached; try again in a moment.", Unavailable: true);
        }

        if (answer["ChallengeName"]?.GetValue<string>() == "NEW_PASSWORD_REQUIRED")
        {
            return new SignInOutcome(NewPasswordSession: answer["Session"]!.GetValue<string>());
        }

        var result = answer["AuthenticationResult"] ?? throw new InvalidOperationException($"The user pool answered {action} with neither tokens nor a challenge it knows.");
        return new SignInOutcome(new PoolTokens(
            result["IdToken"]!.GetValue<string>(),
            result["RefreshToken"]?.GetValue<string>(),
            time.GetUtcNow().AddSeconds(result["ExpiresIn"]?.GetValue<int>() ?? 3600)));
    }
}
