using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dms.Api.Identity;
using Dms.Api.Problems;
using Dms.Common;
using Dms.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Dms.Api.Idempotency;

/// <summary>
/// Honours <c>Idempotency-Key</c>: a retried request from the same caller with the same key and the same content gets
/// the first answer again instead of acting twice; the same key with other content is refused (422). Keys are the
/// caller's own (another user's same key is another request) and are forgotten after <c>Dms:Idempotency:KeyLifetime</c>.
/// A duplicate sent while the first is still acting is told so (409 in progress) at once; only a success is kept, so
/// a request that failed can be retried with its key.
/// </summary>
public sealed class IdempotencyFilter(IdempotencyStore store, IOptions<JsonOptions> json, IOptions<IdentityOptions> identity) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";
    private const int MaxKeyLength = 200;

    /// <summary>The longest the key's answer or release may take once the request has acted.</summary>
    private static readonly TimeSpan BookkeepingTime = TimeSpan.FromSeconds(5);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        var caller = Caller.From(http.User, identity.Value);
        if (key.Length == 0 || caller is null)
        {
            return await next(context);
        }

        if (key.Length > MaxKeyLength || key.Any(char.IsControl))
        {
            return Error.Invalid("idempotency-key", $"{Header} must be 1 to {MaxKeyLength} printable characters.").ToProblem();
        }

        var requestHash = HashOf(http, context.Arguments);
        var (claim, earlier) = await store.ClaimAsync(caller.TenantId, caller.Subject, key, requestHash, http.RequestAborted);
        if (claim != KeyClaim.Claimed)
        {
            if (earlier!.RequestHash != requestHash)
            {
                return new Error(ErrorKind.Unprocessable, "idempotency-key-reused", $"{Header} '{key}' was used for a different request: use a new key for a new request.").ToProblem();
            }

            if (claim == KeyClaim.InProgress)
            {
                http.Response.Headers.RetryAfter = "1";
                return new Error(ErrorKind.Conflict, "idempotency-key-in-progress", $"A request with {Header} '{key}' is still being handled: retry it in a moment to get its answer.").ToProblem();
            }

            return new ReplayedResult(earlier);
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            // The request's own error is the answer; a claim that cannot be released now is taken over after its lifetime.
            await ReleaseAsync(caller, key, requestHash).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        var answer = result is INestedHttpResult nested ? nested.Result : result;
        if (answer is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } success and IValueHttpResult { Value: { } value })
        {
            var body = JsonSerializer.Serialize(value, value.GetType(), json.Value.SerializerOptions);
            // Kept even when the client has gone: its retry gets this answer. Bounded, like every wait on the database.
            using var bounded = new CancellationTokenSource(BookkeepingTime);
            await store.SaveAsync(caller.TenantId, caller.Subject, key, requestHash, success.StatusCode.Value, body, LocationOf(answer), bounded.Token);
        }
        else
        {
            await ReleaseAsync(caller, key, requestHash);
        }

        return result;
    }

    private async Task ReleaseAsync(Caller caller, string key, string requestHash)
    {
        using var bounded = new CancellationTokenSource(BookkeepingTime);
        await store.ReleaseAsync(caller.TenantId, caller.Subject, key, requestHash, bounded.Token);
    }

    /// <summary>The request's identity: method, path and the body (the bound argument that is one of the contract's requests).</summary>
    private string HashOf(HttpContext http, IList<object?> arguments)
    {
        var content = JsonSerializer.Serialize(
            arguments.Where(a => a is not null and not HttpContext and not CancellationToken and not Caller && a.GetType().Namespace == typeof(Dms.Contracts.Http.CreateDocumentRequest).Namespace),
            json.Value.SerializerOptions);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}\n{content}")));
    }

    /// <summary>Created results carry a Location; their generic types vary, so it is read by name.</summary>
    private static string? LocationOf(object result) => result.GetType().GetProperty("Location")?.GetValue(result) as string;

    /// <summary>The stored answer, sent again as it was.</summary>
    private sealed class ReplayedResult(IdempotencyRecord record) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = record.StatusCode;
            http.Response.Headers["Idempotent-Replayed"] = "true";
            if (record.Location is not null)
            {
                http.Response.Headers.Location = record.Location;
            }

            http.Response.ContentType = "application/json; charset=utf-8";
            return http.Response.WriteAsync(record.ResponseBody, http.RequestAborted);
        }
    }
}
