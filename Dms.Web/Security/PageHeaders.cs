using System.Security.Cryptography;
using Microsoft.AspNetCore.Antiforgery;

namespace Dms.Web.Security;

/// <summary>The <c>Dms:Web</c> settings the page headers read.</summary>
public sealed class PageHeaderOptions
{
    public const string Section = "Dms:Web";

    /// <summary>
    /// Origins the pages' script may send uploads to besides the web app's own: where storage's signed upload URLs
    /// point (the API's file store, or the S3 bucket). The AppHost and the AWS template set them.
    /// </summary>
    public List<string> UploadOrigins { get; set; } = [];
}

/// <summary>
/// Headers on every answer of the web app, pages, files and errors alike: a Content-Security-Policy that lets the
/// pages run only the app's own scripts (no inline script but the import map, which carries a per-request nonce) and
/// load only its own styles, images and fonts, send requests only to itself and the upload origins, and be framed by
/// no one; <c>X-Frame-Options: DENY</c> for browsers that predate <c>frame-ancestors</c>; <c>nosniff</c>;
/// <c>Referrer-Policy: same-origin</c>; and HSTS when served over HTTPS. An answer that sets its own policy (a
/// download's <c>sandbox</c>) keeps it.
/// </summary>
public static class PageHeaders
{
    private const string NonceItem = "dms.csp-nonce";

    public static IHostApplicationBuilder AddPageHeaders(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PageHeaderOptions>().BindConfiguration(PageHeaderOptions.Section);
        // Antiforgery's own X-Frame-Options (SAMEORIGIN) would weaken DENY on the pages that carry a form.
        builder.Services.Configure<AntiforgeryOptions>(options => options.SuppressXFrameOptionsHeader = true);
        return builder;
    }

    /// <summary>First in the pipeline: the headers are written as the answer starts, whatever produced it.</summary>
    public static WebApplication UsePageHeaders(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PageHeaderOptions>>().Value;
        var uploads = string.Join("", options.UploadOrigins.Select(origin => $" {new Uri(origin).GetLeftPart(UriPartial.Authority)}"));
        app.Use((http, next) =>
        {
            // Hex: a valid CSP nonce that HTML encoding leaves as it is.
            var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            http.Items[NonceItem] = nonce;
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                if (!headers.ContainsKey("Content-Security-Policy"))
                {
                    headers.ContentSecurityPolicy =
                        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; " +
                        $"font-src 'self'; connect-src 'self'{uploads}; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";
                }

                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                if (http.Request.IsHttps)
                {
                    headers.StrictTransportSecurity = "max-age=31536000";
                }

                return Task.CompletedTask;
            });
            return next(http);
        });
        return app;
    }

    /// <summary>The nonce the page's one inline script (Blazor's import map) carries, as this answer's policy allows it.</summary>
    public static string? NonceOf(HttpContext? http) => http?.Items[NonceItem] as string;
}
