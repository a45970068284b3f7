using System.Buffers.Text;
using System.CommandLine;
using System.Text.Json.Nodes;
using Dms.AwsApi;
using Dms.Cli.Client;
using Dms.Cli.Output;
using Spectre.Console;

namespace Dms.Cli.Commands;

/// <summary>
/// <c>dms login</c>: signs a user in at the identity provider the API trusts (the API's <c>/api/v1/info</c> names the
/// user pool and app client) and saves the ID token. A user made by <c>dms users add</c> signs in with the temporary
/// password once and chooses a new one (<c>--new-password</c>, or asked for).
/// </summary>
public static class LoginCommand
{

    public static Command Create()
    {
        var user = new Option<string>("--user") { Description = "The user name (e-mail) to sign in as.", Required = true };
        var password = new Option<string?>("--password") { Description = "The password (default: DMS_PASSWORD, or asked for)." };
        var newPassword = new Option<string?>("--new-password") { Description = "The new password, when signing in with a temporary one (default: asked for)." };
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
                var name = parse.GetValue(user)!;
                var secret = parse.GetValue(password) ?? Environment.GetEnvironmentVariable("DMS_PASSWORD") ?? Ask($"Password of {name}:");

                using var http = new HttpClient();
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
                var expires = ExpiryOf(token);
                var pins = new Dictionary<string, string>(context.Session.Authorities ?? new Dictionary<string, string>()) { [context.Session.ApiUrl] = authority };
                new Session(context.Session.ApiUrl, token, expires, name, pins).Save();
                Printer.Line($"Signed in to {context.Session.ApiUrl} as {name} until {expires:u}.");
            });
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
    private static DateTimeOffset ExpiryOf(string token)
    {
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(token.Split('.')[1]))!;
        return DateTimeOffset.FromUnixTimeSeconds(payload["exp"]!.GetValue<long>());
    }

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
