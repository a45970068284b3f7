using Dms.AppHost.Postgres;

var builder = DistributedApplication.CreateBuilder(args);

// Metadata (and later the queue and search index) live in PostgreSQL.
var database = builder.AddDmsDatabase();

// The schema is brought up to date before anything reads it.
var migrations = builder.AddProject<Projects.Dms_Migrations>("migrations")
    .WithReference(database, PostgresResources.DatabaseName)
    .WaitFor(database);

builder.AddProject<Projects.Dms_Api>("api")
    .WithReference(database, PostgresResources.DatabaseName)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.Dms_Worker>("worker")
    .WithReference(database, PostgresResources.DatabaseName)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
