using System.Net.Http.Headers;
using Dms.Contracts.Client;
using Microsoft.AspNetCore.Authentication;

namespace Dms.Web.Api;

/// <summary>
/// The API, called with the signed-in user's token (found through service discovery as <c>api</c>) through the
/// contract's client: every page asks it, and it alone decides what the user may see and do. A refusal (4xx) comes
/// back as its problem for the page to show; a failure is an error page.
/// </summary>
public static class ApiRegistration
{
    public static IHostApplicationBuilder AddDmsApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<UserToken>();
        builder.Services.AddScoped<Components.Describing.Catalog>();
        builder.Services.AddHttpClient<DmsApiClient>(http => http.BaseAddress = new Uri((builder.Configuration["Dms:Web:ApiUrl"] ?? "http://api").TrimEnd('/') + "/"))
            .AddHttpMessageHandler<UserToken>()
            // A download's redirect to storage is for the browser to follow, not the web server.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        return builder;
    }

    /// <summary>
    /// Puts the user's ID token, from their session, on each call, and says whom the call is for: the browser's address
    /// (<c>X-Forwarded-For</c>, which the API believes only from its own proxies) and its user agent, which the API's
    /// audit trail records as where the user acted from.
    /// </summary>
    internal sealed class UserToken(IHttpContextAccessor context) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (context.HttpContext is { } http)
            {
                // Someone without an account (a share link's visitor) is named by their address and agent too.
                if (await http.GetTokenAsync("id_token") is { } token)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                if (http.Connection.RemoteIpAddress is { } address)
                {
                    request.Headers.TryAddWithoutValidation("X-Forwarded-For", address.ToString());
                }

                if (http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent)
                {
                    request.Headers.UserAgent.Clear();
                    request.Headers.TryAddWithoutValidation("User-Agent", agent);
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
