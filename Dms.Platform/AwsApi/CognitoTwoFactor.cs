namespace Dms.AwsApi;

/// <summary>
/// Two-factor sign-in with an authenticator app, turned on by a Cognito user for themselves with their access token
/// (the calls anyone signed in may make): the pool gives a key, the user's app shows a code for it, and a right code
/// makes the app the user's second factor, asked for at every sign-in after. On AWS an admin or operator must have
/// one (<c>Dms:Identity:TwoFactorRoles</c>): <c>dms login --user EMAIL --set-up-two-factor</c> walks them through it.
/// </summary>
public static class CognitoTwoFactor
{
    /// <summary>A new key for the user's authenticator app (base32).</summary>
    /// <exception cref="AwsApiException">The pool refused (an expired token, say).</exception>
    public static async Task<string> StartAsync(HttpClient http, Uri endpoint, string accessToken, CancellationToken cancellationToken) =>
        (await CognitoApi.CallAsync(http, endpoint, "AssociateSoftwareToken", new { AccessToken = accessToken }, cancellationToken))["SecretCode"]!.GetValue<string>();

    /// <summary>Checks the app's code for the key and makes the app the user's second factor.</summary>
    /// <exception cref="AwsApiException">The code is not the key's now (<c>CodeMismatchException</c>), or the pool refused.</exception>
    public static async Task ConfirmAsync(HttpClient http, Uri endpoint, string accessToken, string code, CancellationToken cancellationToken)
    {
        var verified = await CognitoApi.CallAsync(http, endpoint, "VerifySoftwareToken",
            new { AccessToken = accessToken, UserCode = code.Replace(" ", "", StringComparison.Ordinal), FriendlyDeviceName = "Dms" }, cancellationToken);
        if (verified["Status"]?.GetValue<string>() is { } status && status != "SUCCESS")
        {
            throw new AwsApiException("The identity provider", "VerifySoftwareToken", status, "the code was not accepted");
        }

        await CognitoApi.CallAsync(http, endpoint, "SetUserMFAPreference",
            new { AccessToken = accessToken, SoftwareTokenMfaSettings = new { Enabled = true, PreferredMfa = true } }, cancellationToken);
    }

    /// <summary>The link an authenticator app takes (a QR code of it, or tapped on the phone itself).</summary>
    public static string AppLink(string email, string key) =>
        $"otpauth://totp/Dms:{Uri.EscapeDataString(email)}?secret={key}&issuer=Dms";
}
