using Dms.Identity.Protocol;
using Microsoft.Extensions.Options;

namespace Dms.Identity.Pages;

/// <summary>
/// Every answer of the provider: no framing (a sign-in page inside another site's frame is how clicks and passwords
/// are stolen), scripts, styles and fetches of its own only (one script: passkeys, <c>wwwroot/passkeys.js</c>), forms of its own; a form may also end at the
/// client's registered addresses, where a sign-in's redirects go on to. No sniffing, no referrer outside the provider.
/// </summary>
public static class PageHeaders
{
    public static WebApplication UsePageHeaders(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ProviderOptions>>().Value;
        var clients = string.Join(' ', options.RedirectUris.Concat(options.PostLogoutRedirectUris)
            .Select(uri => new Uri(uri).GetLeftPart(UriPartial.Authority)).Distinct());
        var policy = $"default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self' {clients}; frame-ancestors 'none'; base-uri 'none'";
        app.Use((http, next) =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            return next(http);
        });
        return app;
    }
}
