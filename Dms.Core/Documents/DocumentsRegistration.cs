using Dms.Audit;
using Dms.Previews;
using Dms.Common;
using Dms.Documents.Lifecycle;
using Dms.Documents.Queries;
using Dms.Documents.Uploads;
using Dms.Idempotency;
using Dms.Operations;
using Dms.Tenants.Quota;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dms.Documents;

public static class DocumentsRegistration
{
    /// <summary>The document use cases and their limits (<c>Dms:Documents</c>), shared by the api and the worker.</summary>
    public static IHostApplicationBuilder AddDocumentUseCases(this IHostApplicationBuilder builder)
    {
        builder.AddAuditTrail();
        builder.Services.AddCheckedOptions<DocumentOptions>(DocumentOptions.Section);
        builder.Services.AddCheckedOptions<IdempotencyOptions>(IdempotencyOptions.Section);
        builder.Services.AddSingleton<UploadMetrics>();
        builder.Services.AddScoped<StorageQuota>();

        builder.Services.AddScoped<UploadEvents>();
        builder.Services.AddScoped<UploadReservation>();
        builder.Services.AddScoped<CreateDocument>();
        builder.Services.AddScoped<AddVersion>();
        builder.Services.AddScoped<CompleteUpload>();
        builder.Services.AddScoped<ReleaseExpiredUpload>();

        builder.Services.AddScoped<Fields.FieldFilterReader>();
        builder.Services.AddScoped<DocumentChanges>();
        builder.Services.AddScoped<TrashDocument>();
        builder.Services.AddScoped<Retention.KeepPastRetention>();
        builder.Services.AddSingleton<Retention.RetentionSweeper>();
        builder.Services.AddScoped<ChangeDocuments>();
        builder.Services.AddScoped<RestoreDocument>();
        builder.Services.AddScoped<ReprocessDocument>();
        builder.Services.AddScoped<PurgeDocument>();
        builder.Services.AddScoped<DeletePurgedBytes>();
        builder.Services.AddScoped<DocumentSweeper>();
        builder.Services.AddScoped<Holds.StorageHolds>();
        builder.Services.AddSingleton<SweepBackoff>();

        builder.Services.AddScoped<DocumentReads>();
        builder.Services.AddScoped<GetDocument>();
        builder.Services.AddScoped<FindDocumentTenant>();
        builder.Services.AddScoped<ListDocuments>();
        builder.Services.AddScoped<ListVersions>();
        builder.Services.AddScoped<ListProcessingSteps>();
        builder.Services.AddScoped<GetDocumentText>();
        builder.Services.AddScoped<OpenContent>();
        builder.Services.AddScoped<OpenPreview>();
        return builder;
    }
}
