using Dms.AppHost.Postgres;
using Dms.AppHost.Storage;

var builder = DistributedApplication.CreateBuilder(args);

// Metadata (and later the queue and search index) live in PostgreSQL.
var database = builder.AddDmsDatabase();

// Document bytes: a folder here, S3 in AWS.
var blobs = builder.AddBlobFolder();

// The schema is brought up to date, by its owner, before anything reads it.
var migrations = builder.AddProject<Projects.Dms_Migrations>("migrations")
    .WithDatabaseOwner(database);

// api and worker connect as the application role, confined to one tenant per transaction.
builder.AddProject<Projects.Dms_Api>("api")
    .WithDatabaseApp(database)
    .WithBlobFolder(blobs)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Dms_Worker>("worker")
    .WithDatabaseApp(database)
    .WithBlobFolder(blobs)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
