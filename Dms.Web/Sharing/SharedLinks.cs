using Dms.Contracts.Client;
using Microsoft.AspNetCore.DataProtection;

namespace Dms.Web.Sharing;

/// <summary>
/// A share link on the web app (<c>/s/{token}</c>), for people without an account: its page images and download (a
/// view's link: of each of its documents, under <c>documents/{id}/</c>) passed through from the API, and a link's password, once given, kept in an HttpOnly cookie of that link's path only,
/// encrypted with the cookies' keys, until the browser closes.
/// </summary>
public static class SharedLinks
{
    private const string Cookie = "dms-share";

    public static string? Password(HttpContext http, string token)
    {
        if (http.Request.Cookies[Cookie] is not { Length: > 0 } kept)
        {
            return null;
        }

        try
        {
            return Protector(http, token).Unprotect(kept);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public static void Remember(HttpContext http, string token, string password) =>
        http.Response.Cookies.Append(Cookie, Protector(http, token).Protect(password), new CookieOptions
        {
            Path = $"/s/{Uri.EscapeDataString(token)}",
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            IsEssential = true,
        });

    public static WebApplication MapSharedLinks(this WebApplication app)
    {
        var shared = app.MapGroup("/s/{token}").AllowAnonymous();
        shared.MapGet("/pages/{page:int:min(1)}", (string token, int page, DmsApiClient api, HttpContext http, CancellationToken cancellationToken) =>
            PassAsync(token, $"pages/{page}", api, http, cancellationToken));
        shared.MapGet("/content", (string token, DmsApiClient api, HttpContext http, CancellationToken cancellationToken) =>
            PassAsync(token, "content", api, http, cancellationToken));
        shared.MapGet("/documents/{documentId:guid}/pages/{page:int:min(1)}", (string token, Guid documentId, int page, DmsApiClient api, HttpContext http, CancellationToken cancellationToken) =>
            PassAsync(token, $"documents/{documentId}/pages/{page}", api, http, cancellationToken));
        shared.MapGet("/documents/{documentId:guid}/content", (string token, Guid documentId, DmsApiClient api, HttpContext http, CancellationToken cancellationToken) =>
            PassAsync(token, $"documents/{documentId}/content", api, http, cancellationToken));
        return app;
    }

    /// <summary>The API's answer as it is: an image (or 304, or 202 while it is rendered), the bytes as an attachment in a sandbox, or its refusal.</summary>
    private static async Task<IResult> PassAsync(string token, string what, DmsApiClient api, HttpContext http, CancellationToken cancellationToken)
    {
        var response = await api.SharedFileAsync(token, what, Password(http, token),
            http.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } tag ? tag : null, cancellationToken);
        http.Response.RegisterForDispose(response);
        if (response.Headers.Location is { } location)
        {
            return Results.Redirect(location.ToString());
        }

        if ((int)response.StatusCode is 202 or 304)
        {
            http.Response.Headers.RetryAfter = response.Headers.RetryAfter?.ToString();
            http.Response.Headers.ETag = response.Headers.ETag?.ToString();
            return Results.StatusCode((int)response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            return Results.Problem(statusCode: (int)response.StatusCode, detail: "This link does not work (any more).");
        }

        http.Response.Headers.ContentSecurityPolicy = "sandbox";
        http.Response.Headers.CacheControl = response.Headers.CacheControl?.ToString();
        http.Response.Headers.ETag = response.Headers.ETag?.ToString();
        http.Response.Headers.ContentDisposition = response.Content.Headers.ContentDisposition?.ToString();
        return Results.Stream(await response.Content.ReadAsStreamAsync(cancellationToken), response.Content.Headers.ContentType?.ToString());
    }

    private static IDataProtector Protector(HttpContext http, string token) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("Dms.Web.SharedLinks", token);
}
