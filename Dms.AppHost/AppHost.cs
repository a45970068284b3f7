using Dms.AppHost.Identity;
using Dms.AppHost.Postgres;
using Dms.AppHost.Scanner;
using Dms.AppHost.Storage;
using Dms.AppHost.Worker;

var builder = DistributedApplication.CreateBuilder(args);

// Metadata (and later the queue and search index) live in PostgreSQL.
var database = builder.AddDmsDatabase();

// Document bytes: a folder here, S3 in AWS.
var blobs = builder.AddBlobFolder();

// Users and their tokens: a Cognito user pool, here its local stand-in seeded with a demo tenant's users.
var identity = builder.AddIdentity();

// The schema is brought up to date, by its owner, before anything reads it.
var migrations = builder.AddProject<Projects.Dms_Migrations>("migrations")
    .WithDatabaseOwner(database, identity.DemoTenantId());

// api and worker connect as the application role, confined to one tenant per transaction.
builder.AddProject<Projects.Dms_Api>("api")
    .WithDatabaseApp(database)
    .WithBlobFolder(blobs)
    .WithIdentity(identity)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health");

// The malware scanner the worker streams every upload to.
var scanner = builder.AddScanner();

// The pipeline: type check, scan, text extraction (OCR with tesseract), indexing; jobs come from the database's queue.
builder.AddProject<Projects.Dms_Worker>("worker")
    .WithDatabaseApp(database)
    .WithBlobFolder(blobs)
    .WithScanner(scanner)
    .WithPipelineSettings()
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health")
    .WithDeadLetterCommands();

builder.Build().Run();
