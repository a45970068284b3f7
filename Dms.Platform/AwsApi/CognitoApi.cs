using System.Text.Json.Nodes;

namespace Dms.AwsApi;

/// <summary>
/// The Cognito user pool JSON API (the calls the AWS CLI's <c>cognito-idp</c> makes), spoken by the API (adding users)
/// and the CLI (signing in). A user pool's token issuer is <c>{endpoint}/{poolId}</c>, for Cognito and its local
/// stand-in alike, so the issuer the API trusts names where to call.
/// </summary>
public static class CognitoApi
{
    /// <summary>The region of an AWS user pool's endpoint (<c>cognito-idp.REGION.amazonaws.com</c>); null for any other host (the local stand-in).</summary>
    public static string? AwsRegionOf(Uri endpoint) =>
        endpoint.Host.Split('.') is ["cognito-idp", var region, "amazonaws", "com"] ? region : null;

    public static (Uri Endpoint, string PoolId) PoolOf(string authority)
    {
        var trimmed = authority.TrimEnd('/');
        var split = trimmed.LastIndexOf('/');
        return (new Uri(trimmed[..split] + "/"), trimmed[(split + 1)..]);
    }

    /// <exception cref="HttpRequestException">The provider could not be reached.</exception>
    /// <exception cref="AwsApiException">The provider refused.</exception>
    /// <param name="signing">AWS credentials to sign with (the admin calls need them); null for the calls anyone may make, and for the local stand-in.</param>
    public static Task<JsonNode> CallAsync(
        HttpClient http, Uri endpoint, string action, object body, CancellationToken cancellationToken, AwsSigning? signing = null) =>
        AwsJsonApi.CallAsync(http, endpoint, "The identity provider", $"AWSCognitoIdentityProviderService.{action}", "cognito-idp", body, signing, cancellationToken);
}
