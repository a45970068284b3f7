using Dms.Contracts;
using Dms.AppHost;
using Dms.AppHost.Identity;
using Dms.AppHost.Postgres;
using Dms.AppHost.Run;
using Dms.AppHost.Scanner;
using Dms.AppHost.Storage;
using Dms.AppHost.Web;
using Dms.AppHost.Worker;

var builder = DistributedApplication.CreateBuilder(args);

// Embedded (the default), LocalAws (S3 and SQS from fauxqs) or Aws (AWS's own services): Dms:Profile.
var profile = DeploymentProfiles.Read(builder.Configuration);

// Metadata (and, but for the AWS profiles, the queue and search index) live in PostgreSQL; in AWS, Aurora.
var database = builder.AddMetadataDatabase(profile);

// Document bytes and processing jobs: a folder and PostgreSQL's queue, or S3 and SQS (fauxqs here, AWS's own in AWS).
var storage = builder.AddDocumentStorage(profile);

// The schema is brought up to date, by its owner, before anything reads it.
var migrations = builder.AddServiceProject<Projects.Dms_Migrations>("migrations")
    .WithDatabaseOwner(database, builder.DemoTenantId(profile));

// Users and their tokens: a Cognito user pool in AWS; here Dms's own provider, with a demo tenant's users.
var identity = builder.AddIdentityProvider(profile, database, migrations);

// api and worker connect as the application role, confined to one tenant per transaction.
var api = builder.AddServiceProject<Projects.Dms_Api>("api")
    .WithDatabaseApp(database)
    .WithDocumentStorage(storage)
    .WithIdentity(identity)
    .WithUserDirectory(identity)
    .WithSettingsOf("Dms:RateLimits", DatabaseNames.DeadlineSetting)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health");

// The malware scanner the worker streams every upload to.
var scanner = builder.AddMalwareScanner(profile);

// The pipeline: type check, scan, text extraction (OCR with tesseract), indexing.
builder.AddServiceProject<Projects.Dms_Worker>("worker")
    .WithDatabaseApp(database)
    .WithDocumentStorage(storage)
    .WithScanner(scanner)
    .WithSettingsOf("Dms:Processing", "Dms:Ocr", "Dms:Queue", "Dms:Extraction", "Dms:Sweeps")
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health")
    .WithDeadLetterCommands();

// The web app people use: signs them in at the provider and calls the api with their token; its sessions live in the
// database, which its own role reaches for nothing else.
var web = builder.AddServiceProject<Projects.Dms_Web>("web")
    .WithReference(api)
    .WithSignInAt(identity)
    .WithSessionKeys(builder)
    .WithDatabaseWeb(database)
    .WaitForCompletion(migrations)
    .WaitFor(api)
    .WithHttpHealthCheck("/health");
api.WithUploadsFromPagesOf(storage, web);

// The console says when the system is ready, or which resource failed, its last lines and what to do; then it stops.
builder.AddRunMonitor(api, web, identity);

builder.Build().Run();
