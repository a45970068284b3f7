using Dms.Web.Account;
using Dms.Web.Api;
using Dms.Web.Components;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAccounts();
builder.AddDmsApi();
builder.Services.AddRazorComponents();

var app = builder.Build();

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
