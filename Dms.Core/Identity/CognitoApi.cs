using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dms.Identity;

/// <summary>The identity provider refused a call: Cognito's error type (<c>UsernameExistsException</c>) and message.</summary>
public sealed class CognitoApiException(string action, string type, string message) : Exception($"The identity provider refused {action}: {type}: {message}")
{
    public string Type { get; } = type;
}

/// <summary>
/// The Cognito user pool JSON API (the calls the AWS CLI's <c>cognito-idp</c> makes), spoken by the API (adding users)
/// and the CLI (signing in). A user pool's token issuer is <c>{endpoint}/{poolId}</c>, for Cognito and its local
/// stand-in alike, so the issuer the API trusts names where to call.
/// </summary>
public static class CognitoApi
{
    private static readonly JsonSerializerOptions PascalCase = new(); // Cognito's member names, as written

    public static (Uri Endpoint, string PoolId) PoolOf(string authority)
    {
        var trimmed = authority.TrimEnd('/');
        var split = trimmed.LastIndexOf('/');
        return (new Uri(trimmed[..split] + "/"), trimmed[(split + 1)..]);
    }

    /// <exception cref="HttpRequestException">The provider could not be reached.</exception>
    /// <exception cref="CognitoApiException">The provider refused.</exception>
    public static async Task<JsonNode> CallAsync(HttpClient http, Uri endpoint, string action, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = JsonContent.Create(body, body.GetType(), options: PascalCase) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
        request.Headers.Add("X-Amz-Target", $"AWSCognitoIdentityProviderService.{action}");
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
