using Dms.Correspondents;
using Dms.Documents.Lifecycle;
using Dms.DocumentTypes;
using Dms.Fields;
using Dms.Notes;
using Dms.SavedViews;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dms.Catalogs;

public static class DescribingRegistration
{
    /// <summary>
    /// What describes documents and how people find them again: document types, correspondents, custom fields, notes,
    /// saved views, and the edit that sets them on a document (it checks user fields against the directory the host
    /// registers, <see cref="Users.IUserDirectory"/>, so only the API adds these).
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
        builder.Services.AddScoped<AddNote>();
        builder.Services.AddScoped<ListNotes>();
        builder.Services.AddScoped<DeleteNote>();
        builder.Services.AddScoped<SaveView>();
        builder.Services.AddScoped<ListViews>();
        builder.Services.AddScoped<DeleteView>();
        return builder;
    }
}
