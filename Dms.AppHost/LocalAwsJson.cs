using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dms.AppHost;

/// <summary>
/// The AWS JSON protocol, unsigned, as the local stand-in takes it: how the AppHost seeds fauxqs's queues, with the
/// same calls the AWS CLI makes.
/// </summary>
public static class LocalAwsJson
{
    /// <summary>AWS's member names are PascalCase: no camel-casing.</summary>
    private static readonly JsonSerializerOptions Json = new();

    /// <param name="target">The service's prefix and the action (<c>AmazonSQS.CreateQueue</c>).</param>
    /// <param name="version">The protocol's version: SQS speaks 1.0, Cognito 1.1.</param>
    /// <exception cref="InvalidOperationException">The stand-in refused; the message names it and the action.</exception>
    public static async Task<JsonNode> CallAsync(HttpClient http, string standIn, string target, string version, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = JsonContent.Create(body, body.GetType(), options: Json) };
        request.Content.Headers.ContentType = new($"application/x-amz-json-{version}");
        request.Headers.Add("X-Amz-Target", target);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(text.Length == 0 ? "{}" : text) ?? new JsonObject()
            : throw new InvalidOperationException($"{standIn} refused {target}: {(int)response.StatusCode} {text}");
    }
}
