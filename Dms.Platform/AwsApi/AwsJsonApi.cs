using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Dms.AwsApi;

/// <summary>A service refused a call: its error type (<c>UsernameExistsException</c>) and message.</summary>
public sealed class AwsApiException(string service, string action, string type, string message)
    : Exception($"{service} refused {action}: {type}: {message}")
{
    public string Type { get; } = type;
}

/// <summary>AWS credentials and the region of the service, for calls that must be signed.</summary>
public sealed record AwsSigning(string AccessKey, string SecretKey, string? SessionToken, string Region)
{
    /// <summary>
    /// Credentials found as every AWS SDK client finds them (environment, profile, the ECS task role).
    /// </summary>
    /// <exception cref="AmazonClientException">None were found.</exception>
    public static async Task<AwsSigning> FromDefaultChainAsync(string region)
    {
        var credentials = await (await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync()).GetCredentialsAsync();
        return new AwsSigning(credentials.AccessKey, credentials.SecretKey, credentials.Token, region);
    }
}

/// <summary>The AWS JSON protocol (<c>application/x-amz-json-1.1</c>, the action in <c>X-Amz-Target</c>), signed when credentials are given.</summary>
public static class AwsJsonApi
{
    // AWS's member names, as written; a member left null is left out (a first page's NextToken, say).
    private static readonly JsonSerializerOptions PascalCase = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <param name="service">Who answers, for the error message ("The identity provider").</param>
    /// <param name="target">The <c>X-Amz-Target</c>: the service's prefix and the action (<c>secretsmanager.GetSecretValue</c>).</param>
    /// <param name="signingName">The service's name in signatures (<c>cognito-idp</c>, <c>secretsmanager</c>).</param>
    /// <param name="signing">Credentials to sign with; null for calls anyone may make, and for local stand-ins.</param>
    /// <exception cref="HttpRequestException">The service could not be reached.</exception>
    /// <exception cref="AwsApiException">The service refused.</exception>
    public static async Task<JsonNode> CallAsync(
        HttpClient http, Uri endpoint, string service, string target, string signingName, object body, AwsSigning? signing, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), PascalCase);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.1");
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
                "POST", endpoint, signed, SigV4.Hex(SHA256.HashData(payload)), signing.AccessKey, signing.SecretKey, signing.Region, signingName, at));
        }

        var action = target[(target.LastIndexOf('.') + 1)..];
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
            : throw new AwsApiException(service, action, answer["__type"]?.GetValue<string>() ?? response.StatusCode.ToString(), answer["message"]?.GetValue<string>() ?? text);
    }
}
