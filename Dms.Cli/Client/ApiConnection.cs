using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Dms.Contracts.Client;

namespace Dms.Cli.Client;

/// <summary>
/// The API as the CLI calls it: the contract's client (<see cref="DmsApiClient"/>) with the session's token, every
/// refusal and failure turned into a <see cref="CliException"/> with the problem's words and an exit code.
/// </summary>
public sealed class ApiConnection(Session session) : IDisposable
{
    private readonly HttpClient _http = new(new SessionToken(session) { InnerHandler = new SocketsHttpHandler() })
    {
        BaseAddress = new Uri(session.ApiUrl.TrimEnd('/') + "/"),
        Timeout = TimeSpan.FromMinutes(5),
    };

    /// <summary>A call that needs the caller signed in: its value, or why not.</summary>
    public async Task<T> CallAsync<T>(Func<DmsApiClient, Task<ApiAnswer<T>>> call)
    {
        if (session.Token is null)
        {
            throw new CliException("Not signed in: run 'dms login' first (or set DMS_TOKEN).", ExitCodes.NotSignedIn);
        }

        if (session.ExpiresAt is { } expires && expires < DateTimeOffset.UtcNow)
        {
            throw new CliException($"The token of {session.User ?? "this session"} expired at {expires:u}: run 'dms login' again.", ExitCodes.NotSignedIn);
        }

        return await CallAnonymousAsync(call);
    }

    /// <summary>A call that answers without a token (where to sign in); a signed-in session's token goes along all the same.</summary>
    public async Task<T> CallAnonymousAsync<T>(Func<DmsApiClient, Task<ApiAnswer<T>>> call)
    {
        var answer = await ReachAsync(() => call(new DmsApiClient(_http)));
        return answer.Problem is { } problem ? throw Refused(problem) : answer.Value!;
    }

    /// <summary>
    /// The API's <c>/health</c> (the service's, not the API contract's): its body whatever the status. Signed in as an
    /// operator, it lists each dependency.
    /// </summary>
    public async Task<(HttpStatusCode Status, JsonNode Body)> HealthAsync(CancellationToken cancellationToken)
    {
        using var response = await ReachAsync(() => _http.GetAsync("health", cancellationToken));
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return (response.StatusCode, JsonNode.Parse(text.Length == 0 ? "{}" : text) ?? new JsonObject());
        }
        catch (System.Text.Json.JsonException)
        {
            return (response.StatusCode, new JsonObject { ["status"] = text });
        }
    }

    private async Task<T> ReachAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"The API at {session.ApiUrl} cannot be reached: {e.Message}", ExitCodes.Unreachable);
        }
        catch (ApiFailedException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static CliException Refused(ApiProblem problem) => problem.Status switch
    {
        HttpStatusCode.Unauthorized => new CliException($"The API refused the token ({problem.Message}): run 'dms login' again.", ExitCodes.NotSignedIn),
        HttpStatusCode.Forbidden => new CliException($"Forbidden: {problem.Message} Operator commands need a user in the operator group."),
        _ => new CliException($"{(int)problem.Status} {problem.Message}"),
    };

    public void Dispose() => _http.Dispose();

    /// <summary>Puts the session's token on each request while it has one that has not expired.</summary>
    private sealed class SessionToken(Session session) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (session.Token is not null && (session.ExpiresAt is not { } expires || expires > DateTimeOffset.UtcNow))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
