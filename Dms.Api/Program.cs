using Dms.Api.ApiReference;
using Dms.Api.Info;
using Dms.Api.Problems;
using Dms.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDmsDatabase();
builder.AddProblemResponses();
builder.AddApiReference();

var app = builder.Build();

app.UseProblemResponses();
app.MapDefaultEndpoints();
app.MapApiReference();
app.MapInfo();

app.Run();
