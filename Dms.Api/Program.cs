using Dms.Adapters;
using Dms.Api.ApiReference;
using Dms.Api.Audit;
using Dms.Api.Benchmark;
using Dms.Api.DeadLetters;
using Dms.Api.Describing;
using Dms.Api.Documents;
using Dms.Api.Holds;
using Dms.Api.Permissions;
using Dms.Api.Sharing;
using Dms.Api.Identity;
using Dms.Api.Info;
using Dms.Api.Limits;
using Dms.Api.Notes;
using Dms.Api.Operations;
using Dms.Api.Problems;
using Dms.Api.SavedViews;
using Dms.Api.Search;
using Dms.Api.Tenants;
using Dms.Api.Uploads;
using Dms.Api.Users;
using Dms.Operations;
using Dms.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddBuildTimeSettings();

builder.AddServiceDefaults();
builder.AddDmsDatabase(deadline: true);
builder.AddRequestDeadlines();
builder.AddRateLimits();
builder.AddProblemResponses();
builder.AddIdentity();
builder.AddApiReference();
builder.AddStorage();
builder.AddUploads();
builder.AddTenants();
builder.AddDocuments();
builder.AddDescribing();
builder.AddHolds();
builder.AddPermissions();
builder.AddSharing();
builder.AddDeadLetters();
builder.AddSearch();
builder.AddStatus();
builder.AddUsers();
builder.AddDependencyHealthChecks();

var app = builder.Build();

app.UseRequestTelemetry();
app.UseProblemResponses();
app.UseQueryTextChecks();
// Only the upload URLs allow another origin (the web app's pages): preflights are answered before sign-in and limits.
app.UseCors();
app.UseAuthentication();
app.UseAuditActors();
app.UseDocumentViewers();
app.UseTwoFactorRequirement();
// The deadline covers everything after sign-in, the rate limiter's plan lookup included.
app.UseRequestTimeouts();
// Before authorization: a request refused for its token or its role is still charged (per address, or to its user).
app.UseRateLimits();
app.UseAuthorization();
// The API's port is public: only operators see which dependency is down and what it said.
app.MapDefaultEndpoints(showsDetails: Policies.IsOperatorAsync);
app.MapApiReference();
app.MapInfo();
app.MapTenants();
app.MapDocuments();
app.MapDescribing();
app.MapNotes();
app.MapSavedViews();
app.MapDeadLetters();
app.MapStatus();
app.MapUsers();
app.MapAdminDocuments();
app.MapSearch();
app.MapAudit();
app.MapHolds();
app.MapPermissions();
app.MapSharing();
app.MapUploads();
app.MapBareEndpoint();

app.Run();
