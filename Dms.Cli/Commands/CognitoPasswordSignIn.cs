using System.Text.Json.Nodes;
using Dms.AwsApi;
using Dms.Cli.Client;
using Dms.Cli.Output;

namespace Dms.Cli.Commands;

/// <summary>
/// <c>dms login --user</c> against a Cognito user pool, for scripts: the password proven by SRP (<c>USER_SRP_AUTH</c>:
/// it never leaves the machine), then whatever the pool asks next: the authenticator's code, a new password in place
/// of a temporary one. With <c>--set-up-two-factor</c> the signed-in user adds an authenticator app instead of keeping
/// this sign-in (its token says "password alone"; the next one, with the app's code, does not).
/// </summary>
internal static class CognitoPasswordSignIn
{
    /// <summary>What the user gives on the command line; null is asked for when the pool needs it.</summary>
    public sealed record Answers(string Password, string? Code, string? NewPassword, bool SetUpTwoFactor);

    /// <returns>The ID token to keep, or null when the user set up two-factor sign-in and signs in again.</returns>
    public static async Task<string?> SignInAsync(HttpClient http, string authority, string clientId, string name, Answers answers, CancellationToken cancellationToken)
    {
        var (endpoint, poolId) = CognitoApi.PoolOf(authority);
        var srp = CognitoSrp.Start();
        var answer = await LoginCommand.CallAsync(http, endpoint, "InitiateAuth", new
        {
            AuthFlow = "USER_SRP_AUTH",
            ClientId = clientId,
            AuthParameters = new Dictionary<string, string> { ["USERNAME"] = name, ["SRP_A"] = srp.SrpA },
        }, cancellationToken);

        // The pool's challenges in the order it asks them; each answer names the user as the pool knows them.
        while (answer["ChallengeName"]?.GetValue<string>() is { } challenge)
        {
            var user = answer["ChallengeParameters"]?["USER_ID_FOR_SRP"]?.GetValue<string>() ?? name;
            var responses = challenge switch
            {
                "PASSWORD_VERIFIER" => PasswordClaim(srp, poolId, user, answers.Password, answer["ChallengeParameters"]!),
                "SOFTWARE_TOKEN_MFA" => new Dictionary<string, string> { ["SOFTWARE_TOKEN_MFA_CODE"] = answers.Code ?? LoginCommand.Ask("Authenticator code:") },
                "NEW_PASSWORD_REQUIRED" => new Dictionary<string, string> { ["NEW_PASSWORD"] = answers.NewPassword ?? LoginCommand.Ask("This is a temporary password. New password:") },
                _ => throw new CliException($"The identity provider asks for {challenge}, which dms login cannot answer: sign in with --browser."),
            };
            responses["USERNAME"] = user;
            answer = await LoginCommand.CallAsync(http, endpoint, "RespondToAuthChallenge", new
            {
                ChallengeName = challenge,
                ClientId = clientId,
                Session = answer["Session"]?.GetValue<string>(),
                ChallengeResponses = responses,
            }, cancellationToken);
        }

        var token = answer["AuthenticationResult"]?["IdToken"]?.GetValue<string>()
            ?? throw new CliException($"The identity provider did not sign {name} in: {answer.ToJsonString()}");
        if (!answers.SetUpTwoFactor)
        {
            return token;
        }

        await SetUpTwoFactorAsync(http, endpoint, name, answer["AuthenticationResult"]!["AccessToken"]!.GetValue<string>(), cancellationToken);
        return null;
    }

    private static Dictionary<string, string> PasswordClaim(CognitoSrp srp, string poolId, string user, string password, JsonNode parameters)
    {
        var secretBlock = parameters["SECRET_BLOCK"]!.GetValue<string>();
        var timestamp = CognitoSrp.Timestamp(DateTimeOffset.UtcNow);
        var signature = srp.Answer(poolId[(poolId.IndexOf('_') + 1)..], user, password, parameters["SALT"]!.GetValue<string>(),
            parameters["SRP_B"]!.GetValue<string>(), secretBlock, timestamp);
        return new Dictionary<string, string>
        {
            ["PASSWORD_CLAIM_SECRET_BLOCK"] = secretBlock,
            ["PASSWORD_CLAIM_SIGNATURE"] = signature,
            ["TIMESTAMP"] = timestamp,
        };
    }

    private static async Task SetUpTwoFactorAsync(HttpClient http, Uri endpoint, string name, string accessToken, CancellationToken cancellationToken)
    {
        try
        {
            var key = await CognitoTwoFactor.StartAsync(http, endpoint, accessToken, cancellationToken);
            Printer.Line($"Add this key to your authenticator app: {key}");
            Printer.Address(CognitoTwoFactor.AppLink(name, key));
            await CognitoTwoFactor.ConfirmAsync(http, endpoint, accessToken, LoginCommand.Ask("The code your app shows now:"), cancellationToken);
        }
        catch (AwsApiException e)
        {
            throw new CliException($"Two-factor sign-in was not turned on: {e.Message}", ExitCodes.Failed);
        }

        Printer.Line($"Two-factor sign-in is on for {name}. Sign in again with the app's code: dms login --user {name}");
    }
}
