using Microsoft.AspNetCore.DataProtection;
using Dms.Web.Account;
using Dms.Web.Api;
using Dms.Web.Components;
using Dms.Web.Security;
using Microsoft.FluentUI.AspNetCore.Components;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPageHeaders();
builder.AddAccounts();
builder.AddDmsApi();
// The keys of the session cookies and antiforgery tokens outlive a restart of the web app and are shared by every
// instance: in a folder on one machine, in the database where several tasks run (AWS); without either they live in
// memory and a restart signs everyone out.
if (builder.Configuration["Dms:Web:KeysFolder"] is { Length: > 0 } keys)
{
    builder.Services.AddDataProtection().SetApplicationName("dms-web").PersistKeysToFileSystem(new DirectoryInfo(keys));
}
else if (builder.Configuration.GetValue<bool>("Dms:Web:KeysInDatabase"))
{
    builder.Services.AddDataProtection().SetApplicationName("dms-web");
    builder.Services.AddSingleton<DatabaseKeyRing>();
    builder.Services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
        .Configure<DatabaseKeyRing>((options, ring) => options.XmlRepository = ring);
}
builder.Services.AddRazorComponents();
// Fluent UI Blazor: its icons and design tokens (the Aspire dashboard's look, light or dark as the system is).
builder.Services.AddFluentUIComponents();

var app = builder.Build();

app.UsePageHeaders();
app.UseExceptionHandler("/error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapDefaultEndpoints();
app.MapStaticAssets();
app.MapAccounts();
app.MapBrowserEndpoints();
app.MapRazorComponents<App>();

app.Run();
