using Dms.Web.Account;
using Dms.Web.Api;
using Dms.Web.Components;
using Dms.Web.Security;
using Dms.Web.Sharing;
using Microsoft.FluentUI.AspNetCore.Components;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPageHeaders();
builder.AddAccounts();
builder.AddDmsApi();
builder.Services.AddCookieKeys(builder.Configuration);
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
app.MapSharedLinks();
app.MapRazorComponents<App>();

app.Run();
