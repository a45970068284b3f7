using Dms.Correspondents;
using Dms.Documents.Lifecycle;
using Dms.DocumentTypes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dms.Fields;

public static class FieldsRegistration
{
    /// <summary>
    /// What describes documents: document types, correspondents, custom fields and the edit that sets them on a
    /// document (it checks user fields against the directory the host registers, <see cref="Users.IUserDirectory"/>).
    /// </summary>
    public static IHostApplicationBuilder AddDescribingUseCases(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<FieldReferences>();
        builder.Services.AddScoped<EditDocument>();
        builder.Services.AddScoped<SaveField>();
        builder.Services.AddScoped<DeleteField>();
        builder.Services.AddScoped<ListFields>();
        builder.Services.AddScoped<SaveDocumentType>();
        builder.Services.AddScoped<DeleteDocumentType>();
        builder.Services.AddScoped<ListDocumentTypes>();
        builder.Services.AddScoped<SaveCorrespondent>();
        builder.Services.AddScoped<DeleteCorrespondent>();
        builder.Services.AddScoped<ListCorrespondents>();
        return builder;
    }
}
