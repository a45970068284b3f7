using Dms.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dms.Documents;

public static class DocumentsRegistration
{
    /// <summary>The document use cases and their limits (<c>Dms:Documents</c>), shared by the api and the worker.</summary>
    public static IHostApplicationBuilder AddDocumentServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<UploadMetrics>();
        builder.Services.AddScoped<DocumentService>();
        builder.Services.AddScoped<DocumentSweeper>();
        return builder;
    }
}
