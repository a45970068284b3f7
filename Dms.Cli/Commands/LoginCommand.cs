using System.Buffers.Text;
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dms.AwsApi;
using Dms.Cli.Client;
using Dms.Cli.Output;
using Dms.Contracts;
using Spectre.Console;

namespace Dms.Cli.Commands;

/// <summary>
/// <c>dms login</c>: signs a user in at the identity provider the API trusts (the API's <c>/api/v1/info</c> names it
/// and the client) and saves the ID token. No password goes through the terminal: with Dms's own provider the device
/// flow prints an address and a code, the user allows it in a browser where they sign in (a first sign-in sets their
/// password there), and the terminal gets the tokens; with a provider without the device flow (Cognito's hosted UI on
/// AWS), or with <c>--browser</c>, the user signs in in a browser that comes back to the terminal
/// (<see cref="LoopbackSignIn"/>). For scripts against a Cognito user pool, <c>--user</c> signs in with the password
/// by SRP (<c>USER_SRP_AUTH</c>: the password itself never leaves the machine); a temporary one is replaced with
/// <c>--new-password</c>, and a user with an authenticator gives its code with <c>--code</c> (or is asked for either).
/// </summary>
public static class LoginCommand
{
    /// <summary>How long a terminal waits for its user to allow the code (the provider's codes last ten minutes).</summary>
    private static readonly TimeSpan DeviceWait = TimeSpan.FromMinutes(10);

    public static Command Create()
    {
        var user = new Option<string?>("--user") { Description = "For scripts against a Cognito user pool: sign in as this user (e-mail) with a password, not in a browser." };
        var browser = new Option<bool>("--browser") { Description = "Sign in in a browser that comes back to this terminal (the way with a provider without the device flow, as Cognito's hosted UI)." };
        var port = new Option<int>("--port") { Description = $"The localhost port the browser comes back to (one the provider has registered; default {CliSignIn.LoopbackPort}).", DefaultValueFactory = _ => CliSignIn.LoopbackPort };
        var password = new Option<string?>("--password") { Description = "With a Cognito user pool only: the password (default: DMS_PASSWORD, or asked for)." };
        var newPassword = new Option<string?>("--new-password") { Description = "With a Cognito user pool only: the new password, when signing in with a temporary one (default: asked for)." };
        var code = new Option<string?>("--code") { Description = "With a Cognito user pool only: the authenticator app's code, for a user with two-factor sign-in (default: asked for)." };
        var setUpTwoFactor = new Option<bool>("--set-up-two-factor")
        {
            Description = "With a Cognito user pool only: after signing in, add an authenticator app as your second factor (admins and operators must have one on AWS).",
        };
        var trustNew = new Option<bool>("--trust-new-authority")
        {
            Description = "Sign in even though the API names another identity provider than at the last sign-in (after a planned move).",
        };
        return new Command("login", "Signs in and saves the token for the commands that follow.")
            .With(user, password, newPassword, code, setUpTwoFactor, browser, port, trustNew)
            .WithBody(async (parse, context, cancellationToken) =>
            {
                var info = await context.Api.CallAnonymousAsync(api => api.InfoAsync(cancellationToken));
                var authority = info.Identity?.Authority
                    ?? throw new CliException($"The API at {context.Session.ApiUrl} does not say which identity provider issues its tokens.");
                var clientId = info.Identity?.ClientId
                    ?? throw new CliException("The API does not name the app client to sign in with (Dms:Identity:Audience).");
                CheckAuthority(authority, context.Session, parse.GetValue(trustNew));
                using var http = new HttpClient();
                if (parse.GetValue(user) is null)
                {
                    var endpoints = await EndpointsAsync(http, authority, cancellationToken);
                    if (endpoints is { Device: { } device, Token: { } deviceToken } && !parse.GetValue(browser))
                    {
                        Save(context.Session, authority, await SignInOnDeviceAsync(http, device, deviceToken, clientId, cancellationToken));
                        return;
                    }

                    var (authorize, tokenEndpoint) = (endpoints.Authorization, endpoints.Token) is ({ } a, { } t) ? (a, t)
                        : throw new CliException($"The identity provider at {authority} names no authorization endpoint to sign in at in a browser: pass --user to sign in with a password.");
                    Save(context.Session, authority, await LoopbackSignIn.SignInAsync(http, authorize, tokenEndpoint, clientId, parse.GetValue(port), cancellationToken));
                    return;
                }

                var name = parse.GetValue(user)!;
                var secret = parse.GetValue(password) ?? Environment.GetEnvironmentVariable("DMS_PASSWORD") ?? Ask($"Password of {name}:");

                var answers = new CognitoPasswordSignIn.Answers(secret, parse.GetValue(code), parse.GetValue(newPassword), parse.GetValue(setUpTwoFactor));
                if (await CognitoPasswordSignIn.SignInAsync(http, authority, clientId, name, answers, cancellationToken) is { } token)
                {
                    Save(context.Session, authority, token);
                }
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

    /// <summary>The provider's endpoints a terminal signs in with (null: it has none): device flow, authorization, token.</summary>
    private sealed record ProviderEndpoints(string? Device, string? Authorization, string? Token);

    /// <summary>From the provider's discovery document (Cognito's names no device endpoint; its authorization endpoint is the hosted UI's).</summary>
    private static async Task<ProviderEndpoints> EndpointsAsync(HttpClient http, string authority, CancellationToken cancellationToken)
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
            return new ProviderEndpoints(null, null, null);
        }

        return new ProviderEndpoints(
            discovery?["device_authorization_endpoint"]?.GetValue<string>(),
            discovery?["authorization_endpoint"]?.GetValue<string>(),
            discovery?["token_endpoint"]?.GetValue<string>());
    }

    /// <summary>
    /// The device flow (RFC 8628): the terminal shows where to go and which code to allow, then asks the token endpoint
    /// at the interval the provider gives until the user has allowed it, denied it, or the code expired.
    /// </summary>
    private static async Task<string> SignInOnDeviceAsync(HttpClient http, string deviceEndpoint, string tokenEndpoint, string clientId, CancellationToken cancellationToken)
    {
        using var started = await http.PostAsync(deviceEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
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
        Printer.Address(address);
        var interval = TimeSpan.FromSeconds(grant["interval"]?.GetValue<int>() ?? 5);
        var deadline = DateTime.UtcNow + DeviceWait;
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(interval, cancellationToken);
            using var asked = await http.PostAsync(tokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
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
    /// The API's <c>/api/v1/info</c> is not signed and may come over plain HTTP, so what it names is checked before
    /// signing in there (a page that asks for a password, or the password itself with --user): HTTPS unless on this
    /// machine, and the provider this API named at the last sign-in.
    /// </summary>
    private static void CheckAuthority(string authority, Session session, bool trustNew)
    {
        if (!Uri.TryCreate(authority, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback))
        {
            throw new CliException($"The API names {authority} as its identity provider: dms refuses to sign in over plain HTTP at another machine.");
        }

        if (session.PinnedAuthority is { } pinned && pinned != authority && !trustNew)
        {
            throw new CliException(
                $"The API at {session.ApiUrl} now names {authority} as its identity provider, not {pinned} as at your last sign-in: " +
                "dms refuses to sign you in there. If the move is planned, run 'dms login --trust-new-authority'.");
        }
    }

    /// <summary>The token's <c>exp</c>: read from its payload, not checked (the API checks the signature).</summary>
    private static DateTimeOffset ExpiryOf(string token) => DateTimeOffset.FromUnixTimeSeconds(Payload(token)["exp"]!.GetValue<long>());

    private static string? ClaimOf(string token, string claim) => Payload(token)[claim] is JsonValue value ? value.GetValue<string>() : null;

    private static JsonNode Payload(string token) => JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[1]))!;

    internal static string Ask(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            throw new CliException($"{prompt.TrimEnd(':')} is needed and there is no terminal to ask on: pass it as an option.", ExitCodes.UsageError);
        }

        return AnsiConsole.Prompt(new TextPrompt<string>(prompt).Secret());
    }

    /// <summary>InitiateAuth and RespondToAuthChallenge need no AWS credentials.</summary>
    internal static async Task<JsonNode> CallAsync(HttpClient http, Uri endpoint, string action, object body, CancellationToken cancellationToken)
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
