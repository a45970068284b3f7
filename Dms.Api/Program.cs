using Dms.Api.ApiReference;
using Dms.Api.DeadLetters;
using Dms.Api.Documents;
using Dms.Api.Identity;
using Dms.Api.Info;
using Dms.Api.Problems;
using Dms.Api.Search;
using Dms.Api.Tenants;
using Dms.Api.Uploads;
using Dms.Data;
using Dms.Search;
using Dms.Storage;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDmsDatabase();
builder.AddProblemResponses();
builder.AddIdentity();
builder.AddApiReference();
builder.AddStorage();
builder.AddTenants();
builder.AddDocuments();
builder.AddDeadLetters();
builder.AddSearch();

var app = builder.Build();

app.UseProblemResponses();
app.UseAuthentication();
app.UseAuthorization();
app.MapDefaultEndpoints();
app.MapApiReference();
app.MapInfo();
app.MapTenants();
app.MapDocuments();
app.MapDeadLetters();
app.MapSearch();
app.MapUploads();

app.Run();
