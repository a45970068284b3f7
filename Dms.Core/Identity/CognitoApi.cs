using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dms.Identity;

/// <summary>The identity provider refused a call: Cognito's error type (<c>UsernameExistsException</c>) and message.</summary>
public sealed class CognitoApiException(string action, string type, string message) : Exception($"The identity provider refused {action}: {type}: {message}")
{
    public string Type { get; } = type;
}

/// <summary>AWS credentials and the region of the user pool, for calls that must be signed.</summary>
public sealed record AwsSigning(string AccessKey, string SecretKey, string? SessionToken, string Region);

/// <summary>
/// The Cognito user pool JSON API (the calls the AWS CLI's <c>cognito-idp</c> makes), spoken by the API (adding users)
/// and the CLI (signing in). A user pool's token issuer is <c>{endpoint}/{poolId}</c>, for Cognito and its local
/// stand-in alike, so the issuer the API trusts names where to call.
/// </summary>
public static class CognitoApi
{
    private static readonly JsonSerializerOptions PascalCase = new(); // Cognito's member names, as written

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
    /// <exception cref="CognitoApiException">The provider refused.</exception>
    /// <param name="signing">AWS credentials to sign with (the admin calls need them); null for the calls anyone may make, and for the local stand-in.</param>
    public static async Task<JsonNode> CallAsync(
        HttpClient http, Uri endpoint, string action, object body, CancellationToken cancellationToken, AwsSigning? signing = null)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), PascalCase);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        var target = $"AWSCognitoIdentityProviderService.{action}";
        request.Headers.Add("X-Amz-Target", target);
        if (signing is not null)
        {
            var at = DateTimeOffset.UtcNow;
            var signed = new Dictionary<string, string> { ["host"] = endpoint.Authority, ["x-amz-date"] = SigV4.AmzDate(at), ["x-amz-target"] = target };
            if (signing.SessionToken is { Length: > 0 } token)
            {
                signed["x-amz-security-token"] = token;
                request.Headers.Add("X-Amz-Security-Token", token);
            }

            request.Headers.Add("X-Amz-Date", signed["x-amz-date"]);
            request.Headers.TryAddWithoutValidation("Authorization", SigV4.Authorization(
                "POST", endpoint, signed, SigV4.Hex(SHA256.HashData(payload)), signing.AccessKey, signing.SecretKey, signing.Region, "cognito-idp", at));
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode answer;
        try
        {
            answer = JsonNode.Parse(text.Length == 0 ? "{}" : text) ?? new JsonObject();
        }
        catch (JsonException)
        {
            answer = new JsonObject { ["message"] = text };
        }

        return response.IsSuccessStatusCode
            ? answer
            : throw new CognitoApiException(action, answer["__type"]?.GetValue<string>() ?? response.StatusCode.ToString(), answer["message"]?.GetValue<string>() ?? text);
    }
}
