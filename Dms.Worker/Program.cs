using Dms.Data;
using Dms.Worker.Processing;

// The worker serves only /health and /alive over HTTP; its work is the processing loop.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDmsDatabase();
builder.AddProcessing();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
