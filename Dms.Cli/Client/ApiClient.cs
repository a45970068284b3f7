using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dms.Cli.Client;

/// <summary>The Dms API as the CLI uses it: JSON in and out, every refusal turned into a <see cref="CliException"/> with the problem's detail.</summary>
public sealed class ApiClient(Session session) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http = new() { BaseAddress = new Uri(session.ApiUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(5) };

    public Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<JsonNode> PostAsync(string path, object? body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<JsonNode> PatchAsync(string path, object body, CancellationToken cancellationToken) => SendAsync(HttpMethod.Patch, path, body, cancellationToken);

    public Task<JsonNode> DeleteAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    /// <summary>
    /// A path that answers without a token (health, info); its body whatever the status. A signed-in session's token
    /// goes along, so an operator sees what only operators are shown (health's entries).
    /// </summary>
    public async Task<(HttpStatusCode Status, JsonNode Body)> GetAnonymousAsync(string path, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (session.Token is not null && (session.ExpiresAt is not { } expires || expires > DateTimeOffset.UtcNow))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        }

        using var response = await SendRawAsync(request, cancellationToken);
        return (response.StatusCode, await ReadAsync(response, cancellationToken));
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        if (session.Token is null)
        {
            throw new CliException("Not signed in: run 'dms login' first (or set DMS_TOKEN).", ExitCodes.NotSignedIn);
        }

        if (session.ExpiresAt is { } expires && expires < DateTimeOffset.UtcNow)
        {
            throw new CliException($"The token of {session.User ?? "this session"} expired at {expires:u}: run 'dms login' again.", ExitCodes.NotSignedIn);
        }

        var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = body is null ? null : JsonContent.Create(body, options: Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        using var response = await SendRawAsync(request, cancellationToken);
        var answer = await ReadAsync(response, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return answer;
        }

        var problem = answer["detail"]?.GetValue<string>() ?? answer["title"]?.GetValue<string>() ?? response.ReasonPhrase;
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new CliException($"The API refused the token ({problem}): run 'dms login' again.", ExitCodes.NotSignedIn),
            HttpStatusCode.Forbidden => new CliException($"Forbidden: {problem} Operator commands need a user in the operator group."),
            _ => new CliException($"{(int)response.StatusCode} {problem}"),
        };
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                return await _http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw new CliException($"The API at {session.ApiUrl} cannot be reached: {e.Message}", ExitCodes.Unreachable);
            }
        }
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonNode.Parse(text.Length == 0 ? "{}" : text) ?? new JsonObject();
        }
        catch (JsonException)
        {
            return new JsonObject { ["detail"] = text };
        }
    }

    public void Dispose() => _http.Dispose();
}
