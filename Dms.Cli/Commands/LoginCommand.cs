using System.Buffers.Text;
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dms.AwsApi;
using Dms.Cli.Client;
using Dms.Cli.Output;
using Spectre.Console;

namespace Dms.Cli.Commands;

/// <summary>
/// <c>dms login</c>: signs a user in at the identity provider the API trusts (the API's <c>/api/v1/info</c> names it
/// and the client) and saves the ID token. With Dms's own provider no password goes through the terminal: the device
/// flow prints an address and a code, the user allows it in a browser where they sign in (a first sign-in sets their
/// password there), and the terminal gets the tokens. With a Cognito user pool (AWS), the password is sent to the pool
/// (<c>USER_PASSWORD_AUTH</c>; a temporary one is replaced with <c>--new-password</c>, or asked for).
/// </summary>
public static class LoginCommand
{
    /// <summary>How long a terminal waits for its user to allow the code (the provider's codes last ten minutes).</summary>
    private static readonly TimeSpan DeviceWait = TimeSpan.FromMinutes(10);

    public static Command Create()
    {
        var user = new Option<string?>("--user") { Description = "The user name (e-mail) to sign in as (needed with a Cognito user pool; with Dms's provider you choose in the browser)." };
        var password = new Option<string?>("--password") { Description = "With a Cognito user pool only: the password (default: DMS_PASSWORD, or asked for)." };
        var newPassword = new Option<string?>("--new-password") { Description = "With a Cognito user pool only: the new password, when signing in with a temporary one (default: asked for)." };
        var trustNew = new Option<bool>("--trust-new-authority")
        {
            Description = "Sign in even though the API names another identity provider than at the last sign-in (after a planned move).",
        };
        return new Command("login", "Signs in and saves the token for the commands that follow.")
            .With(user, password, newPassword, trustNew)
            .WithBody(async (parse, context, cancellationToken) =>
            {
                var info = (await context.Api.GetAnonymousAsync("api/v1/info", cancellationToken)).Body;
                var authority = info["identity"]?["authority"]?.GetValue<string>()
                    ?? throw new CliException($"The API at {context.Session.ApiUrl} does not say which identity provider issues its tokens.");
                var clientId = info["identity"]?["clientId"]?.GetValue<string>()
                    ?? throw new CliException("The API does not name the app client to sign in with (Dms:Identity:Audience).");
                CheckAuthority(authority, context.Session, parse.GetValue(trustNew));
                using var http = new HttpClient();
                if (await DeviceEndpointsAsync(http, authority, cancellationToken) is { } device)
                {
                    var signedIn = await SignInOnDeviceAsync(http, device, clientId, cancellationToken);
                    Save(context.Session, authority, signedIn);
                    return;
                }

                var name = parse.GetValue(user) ?? throw new CliException("--user is needed: the user pool signs in by name and password.", ExitCodes.UsageError);
                var secret = parse.GetValue(password) ?? Environment.GetEnvironmentVariable("DMS_PASSWORD") ?? Ask($"Password of {name}:");

                var (endpoint, _) = CognitoApi.PoolOf(authority);
                var answer = await CallAsync(http, endpoint, "InitiateAuth", new
                {
                    AuthFlow = "USER_PASSWORD_AUTH",
                    ClientId = clientId,
                    AuthParameters = new Dictionary<string, string> { ["USERNAME"] = name, ["PASSWORD"] = secret },
                }, cancellationToken);
                if (answer["ChallengeName"]?.GetValue<string>() == "NEW_PASSWORD_REQUIRED")
                {
                    var chosen = parse.GetValue(newPassword) ?? Ask("This is a temporary password. New password:");
                    answer = await CallAsync(http, endpoint, "RespondToAuthChallenge", new
                    {
                        ChallengeName = "NEW_PASSWORD_REQUIRED",
                        ClientId = clientId,
                        Session = answer["Session"]!.GetValue<string>(),
                        ChallengeResponses = new Dictionary<string, string> { ["USERNAME"] = name, ["NEW_PASSWORD"] = chosen },
                    }, cancellationToken);
                }

                var token = answer["AuthenticationResult"]?["IdToken"]?.GetValue<string>()
                    ?? throw new CliException($"The identity provider did not sign {name} in: {answer.ToJsonString()}");
                Save(context.Session, authority, token);
            });
    }

    private static void Save(Session session, string authority, string token)
    {
        var expires = ExpiryOf(token);
        var name = ClaimOf(token, "email") ?? ClaimOf(token, "cognito:username") ?? "(unnamed)";
        var pins = new Dictionary<string, string>(session.Authorities ?? new Dictionary<string, string>()) { [session.ApiUrl] = authority };
        new Session(session.ApiUrl, token, expires, name, pins).Save();
        Printer.Line($"Signed in to {session.ApiUrl} as {name} until {expires:u}.");
    }

    private sealed record DeviceEndpoints(string Authorization, string Token);

    /// <summary>The provider's device flow endpoints, from its discovery document; null for a provider without (Cognito).</summary>
    private static async Task<DeviceEndpoints?> DeviceEndpointsAsync(HttpClient http, string authority, CancellationToken cancellationToken)
    {
        JsonNode? discovery;
        try
        {
            discovery = JsonNode.Parse(await http.GetStringAsync($"{authority.TrimEnd('/')}/.well-known/openid-configuration", cancellationToken));
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"The identity provider at {authority} cannot be reached: {e.Message}", ExitCodes.Unreachable);
        }
        catch (JsonException)
        {
            return null;
        }

        return discovery?["device_authorization_endpoint"]?.GetValue<string>() is { } device && discovery["token_endpoint"]?.GetValue<string>() is { } token
            ? new DeviceEndpoints(device, token)
            : null;
    }

    /// <summary>
    /// The device flow (RFC 8628): the terminal shows where to go and which code to allow, then asks the token endpoint
    /// at the interval the provider gives until the user has allowed it, denied it, or the code expired.
    /// </summary>
    private static async Task<string> SignInOnDeviceAsync(HttpClient http, DeviceEndpoints endpoints, string clientId, CancellationToken cancellationToken)
    {
        using var started = await http.PostAsync(endpoints.Authorization, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = clientId,
            ["scope"] = "openid email offline_access",
        }), cancellationToken);
        var grant = JsonNode.Parse(await started.Content.ReadAsStringAsync(cancellationToken))!;
        if (!started.IsSuccessStatusCode)
        {
            throw new CliException($"The identity provider refused to start a sign-in: {grant["error_description"] ?? grant["error"]}", ExitCodes.NotSignedIn);
        }

        var userCode = grant["user_code"]!.GetValue<string>();
        var address = grant["verification_uri_complete"]?.GetValue<string>() ?? grant["verification_uri"]!.GetValue<string>();
        Printer.Line($"To sign in, open this address in a browser, sign in there and allow the code {userCode}:");
        Printer.Line($"  {address}");
        var interval = TimeSpan.FromSeconds(grant["interval"]?.GetValue<int>() ?? 5);
        var deadline = DateTime.UtcNow + DeviceWait;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(interval, cancellationToken);
            using var asked = await http.PostAsync(endpoints.Token, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
                ["device_code"] = grant["device_code"]!.GetValue<string>(),
                ["client_id"] = clientId,
            }), cancellationToken);
            var answer = JsonNode.Parse(await asked.Content.ReadAsStringAsync(cancellationToken))!;
            switch (answer["error"]?.GetValue<string>())
            {
                case null when answer["id_token"]?.GetValue<string>() is { } token:
                    return token;
                case "authorization_pending":
                    continue;
                case "slow_down":
                    interval += TimeSpan.FromSeconds(5);
                    continue;
                case "access_denied":
                    throw new CliException("The sign-in was denied in the browser.", ExitCodes.NotSignedIn);
                default:
                    throw new CliException($"The identity provider did not sign you in: {answer["error_description"] ?? answer["error"]}", ExitCodes.NotSignedIn);
            }
        }

        throw new CliException($"No one allowed the code {userCode} within {DeviceWait.TotalMinutes:0} minutes: run dms login again.", ExitCodes.NotSignedIn);
    }

    /// <summary>
    /// The API's <c>/api/v1/info</c> is not signed and may come over plain HTTP, so what it names is checked before a
    /// password goes there: HTTPS unless on this machine, and the provider this API named at the last sign-in.
    /// </summary>
    private static void CheckAuthority(string authority, Session session, bool trustNew)
    {
        if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback))
        {
            throw new CliException($"The API names {authority} as its identity provider: dms refuses to send a password over plain HTTP to another machine.");
        }

        if (session.PinnedAuthority is { } pinned && pinned != authority && !trustNew)
        {
            throw new CliException(
                $"The API at {session.ApiUrl} now names {authority} as its identity provider, not {pinned} as at your last sign-in: " +
                "dms refuses to send your password there. If the move is planned, run 'dms login --trust-new-authority'.");
        }
    }

    /// <summary>The token's <c>exp</c>: read from its payload, not checked (the API checks the signature).</summary>
    private static DateTimeOffset ExpiryOf(string token) => DateTimeOffset.FromUnixTimeSeconds(Payload(token)["exp"]!.GetValue<long>());

    private static string? ClaimOf(string token, string claim) => Payload(token)[claim] is JsonValue value ? value.GetValue<string>() : null;

    private static JsonNode Payload(string token) => JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[1]))!;

    private static string Ask(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            throw new CliException($"{prompt.TrimEnd(':')} is needed and there is no terminal to ask on: pass it as an option.", ExitCodes.UsageError);
        }

        return AnsiConsole.Prompt(new TextPrompt<string>(prompt).Secret());
    }

    /// <summary>InitiateAuth and RespondToAuthChallenge need no AWS credentials.</summary>
    private static async Task<JsonNode> CallAsync(HttpClient http, Uri endpoint, string action, object body, CancellationToken cancellationToken)
    {
        try
        {
            return await CognitoApi.CallAsync(http, endpoint, action, body, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"The identity provider at {endpoint} cannot be reached: {e.Message}", ExitCodes.Unreachable);
        }
        catch (AwsApiException e)
        {
            throw new CliException(e.Message, ExitCodes.NotSignedIn);
        }
    }
}
