using Scalar.AspNetCore;

namespace Dms.Api.ApiReference;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> and an interactive reference page at <c>/scalar</c>, unless
/// <see cref="ApiReferenceOptions.Enabled"/> is off (a production stack that does not publish them).
/// </summary>
public static class ApiReferenceEndpoints
{
    public static IHostApplicationBuilder AddApiReference(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(ContractDocument.Configure);
        return builder;
    }

    public static WebApplication MapApiReference(this WebApplication app)
    {
        if (!(app.Configuration.GetSection(ApiReferenceOptions.Section).Get<ApiReferenceOptions>() ?? new()).Enabled)
        {
            return app;
        }

        app.MapOpenApi();
        // The page's script is served from this assembly; fonts from the default CDN are turned off so the
        // reference works on a machine with no internet.
        app.MapScalarApiReference(options => options
            .WithTitle("Dms API")
            .DisableDefaultFonts());
        return app;
    }
}
