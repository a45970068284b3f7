using System.Reflection;

namespace Dms.Api.ApiReference;

/// <summary>
/// The OpenAPI document is written to <c>Dms.Api/openapi/</c> at build (Microsoft.Extensions.ApiDescription.Server),
/// by a tool that starts this program to read its endpoints and stops it before it serves or connects to anything.
/// It starts without the settings the AppHost gives a running api; these stand in for those the endpoints' mapping
/// reads, and are used nowhere else.
/// </summary>
public static class BuildTimeDocument
{
    public static bool IsBeingWritten => Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    public static IHostApplicationBuilder AddBuildTimeSettings(this IHostApplicationBuilder builder)
    {
        if (IsBeingWritten)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:dms"] = "Host=localhost;Database=openapi-document",
                ["Dms:Storage:FileSystem:Root"] = Path.Combine(Path.GetTempPath(), "dms-openapi-document"),
                ["Dms:Storage:FileSystem:SigningKey"] = "the OpenAPI document written at build signs no upload",
                ["Dms:Identity:Authority"] = "https://localhost/openapi-document",
                ["Dms:Identity:Audience"] = "openapi-document",
            });
        }

        return builder;
    }
}
