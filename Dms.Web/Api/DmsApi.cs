using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authentication;

namespace Dms.Web.Api;

/// <summary>A document as the API lists it (the fields the pages show).</summary>
public sealed record DocumentSummary(Guid Id, string Title, string FileName, string ContentType, long SizeBytes, string Status, string[] Tags, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record DocumentPage(IReadOnlyList<DocumentSummary> Documents, string? NextCursor);

/// <summary>
/// The API, called with the signed-in user's token (found through service discovery as <c>api</c>): every page asks
/// it, and it alone decides what the user may see and do.
/// </summary>
public sealed class DmsApi(HttpClient http)
{
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
