using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authentication;

namespace Dms.Web.Api;

/// <summary>A document as the API lists it (the fields the pages show).</summary>
public sealed record DocumentSummary(Guid Id, string Title, string FileName, string ContentType, long SizeBytes, string Status, string[] Tags, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record DocumentPage(IReadOnlyList<DocumentSummary> Documents, string? NextCursor);

/// <param name="Snippets">HTML-safe by the API's contract: escaped text, the matched words in &lt;mark&gt;.</param>
public sealed record SearchHit(Guid DocumentId, string Title, string FileName, IReadOnlyList<string> Snippets, DateTimeOffset CreatedAt);

public sealed record SearchPage(
    long Total, IReadOnlyList<SearchHit> Hits, IReadOnlyDictionary<string, long> TagFacets, IReadOnlyDictionary<string, long> ContentTypeFacets, string? NextCursor,
    bool TotalIsLowerBound);

/// <summary>What the API answered: a value, or its problem's detail in the user's words.</summary>
public sealed record Answer<T>(T? Value, string? Problem);

/// <summary>
/// The API, called with the signed-in user's token (found through service discovery as <c>api</c>): every page asks
/// it, and it alone decides what the user may see and do.
/// </summary>
public sealed class DmsApi(HttpClient http)
{
    public async Task<Answer<SearchPage>> SearchAsync(string query, string? tag, string? contentType, string? cursor, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string?> { ["q"] = query, ["tag"] = tag, ["contentType"] = contentType, ["cursor"] = cursor, ["limit"] = "20" };
        var path = "/api/v1/search?" + string.Join("&", parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));
        return await GetAsync<SearchPage>(path, cancellationToken);
    }

    /// <summary>A refusal (4xx) comes back as its ProblemDetails' detail, for the page to show; anything else is an error page.</summary>
    private async Task<Answer<T>> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        if ((int)response.StatusCode is >= 400 and < 500)
        {
            var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(cancellationToken);
            return new Answer<T>(default, problem.TryGetProperty("detail", out var detail) ? detail.GetString() : $"The request was refused ({(int)response.StatusCode}).");
        }

        response.EnsureSuccessStatusCode();
        return new Answer<T>(await response.Content.ReadFromJsonAsync<T>(cancellationToken), null);
    }

    public async Task<DocumentPage> ListDocumentsAsync(string? cursor, CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<DocumentPage>($"/api/v1/documents?limit=50{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}", cancellationToken))!;
}

/// <summary>The typed API client, with the user's token on every call.</summary>
public static class DmsApiRegistration
{
    public static IHostApplicationBuilder AddDmsApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<UserToken>();
        builder.Services.AddHttpClient<DmsApi>(http => http.BaseAddress = new Uri(builder.Configuration["Dms:Web:ApiUrl"] ?? "http://api"))
            .AddHttpMessageHandler<UserToken>();
        return builder;
    }

    /// <summary>Puts the user's ID token, from their cookie, on each call.</summary>
    internal sealed class UserToken(IHttpContextAccessor context) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (context.HttpContext is { } http && await http.GetTokenAsync("id_token") is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
