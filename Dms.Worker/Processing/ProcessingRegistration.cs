using Dms.Adapters;
using Dms.Common;
using Dms.Operations;
using Dms.Processing;
using Dms.Worker.Extraction;
using Dms.Worker.Ocr;
using Dms.Worker.Previews;
using Dms.Worker.Scanning;
using Dms.Worker.Tools;

namespace Dms.Worker.Processing;

public static class ProcessingRegistration
{
    /// <summary>The pipeline and its parts: the queue, the scanner, the text readers and OCR, each with its settings checked at start-up.</summary>
    public static IHostApplicationBuilder AddProcessing(this IHostApplicationBuilder builder)
    {
        builder.AddJobQueue();
        builder.AddOutboxRelay();
        builder.AddScanner();
        builder.Services.AddCheckedOptions<ProcessingOptions>(ProcessingOptions.Section);
        builder.Services.AddCheckedOptions<OcrOptions>(OcrOptions.Section);
        builder.Services.AddSingleton<IOcrEngine, TesseractOcrEngine>();
        builder.Services.AddSingleton<PdfPageRenderer>();
        builder.Services.AddSingleton<OcrSlots>();
        builder.Services.AddSingleton<ChildProcess>();
        builder.Services.AddSingleton<ReaderProcess>();
        builder.Services.AddCheckedOptions<ToolOptions>(ToolOptions.Section);
        builder.Services.AddSingleton<PdfTextReader>();
        builder.Services.AddSingleton<TextExtractor>();
        builder.Services.AddCheckedOptions<PreviewOptions>(PreviewOptions.Section);
        builder.Services.AddSingleton<ImagePreviewProcess>();
        builder.Services.AddSingleton<PreviewRenderer>();
        builder.Services.AddSingleton<VersionDownload>();
        builder.Services.AddScoped<PageImages>();
        builder.Services.AddScoped<ProcessingStore>();
        builder.Services.AddScoped<DocumentPipeline>();
        builder.Services.AddSingleton<ProcessingMetrics>();
        builder.Services.AddSingleton<ProcessingHeartbeat>();
        builder.Services.AddHostedService<ProcessingWorker>();
        builder.Services.AddHealthChecks()
            .AddCheck<ProcessingLoopHealthCheck>("processing-loop")
            .AddDependencyCheck("ocr", (services, token) => services.GetRequiredService<IOcrEngine>().CheckAsync(token));
        return builder;
    }
}
