using System.Diagnostics;
using Dms.Common;
using Dms.Documents;
using Dms.Documents.Queries;
using Dms.Operations;
using Dms.Previews;
using Dms.Processing;
using Dms.Queue;
using Dms.Storage;
using Dms.Worker.Extraction;
using Dms.Worker.Previews;
using Dms.Worker.Scanning;
using Dms.Worker.Tools;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Dms.Worker.Processing;

/// <summary>
/// Takes one version of a document through malware scan, type check, text extraction and indexing: the order of the
/// steps, their retries, spans and metrics. Every step is idempotent and records its outcome through
/// <see cref="ProcessingStore"/> (one row per step, overwritten by each attempt); the extracted text is stored with its
/// step's record, so a rerun after a crash skips the expensive part and stores one set of results. A step that fails
/// for a reason that may pass (the scanner down) is retried with exponential back-off and jitter; content that cannot
/// be read fails at once, with the reason. The store checks every write against the document, so a deleted or
/// replaced document is left alone.
/// </summary>
public sealed partial class DocumentPipeline(
    ProcessingStore store,
    IBlobStore blobs,
    VersionDownload download,
    TextExtractor extractor,
    PreviewRenderer previews,
    ProcessingMetrics metrics,
    IOptions<ProcessingOptions> options,
    IOptions<DocumentOptions> documents,
    TimeProvider time,
    ILogger<DocumentPipeline> logger,
    IMalwareScanner? scanner = null)
{
    private ResiliencePipeline? _retry;

    private ProcessingOptions Settings => options.Value;

    public async Task<PipelineOutcome> RunAsync(JobMessage job, CancellationToken cancellationToken)
    {
        if (await store.ClaimAsync(job, cancellationToken) is not var (version, hasText))
        {
            return PipelineOutcome.Stale;
        }

        var folder = Path.Combine(Settings.WorkFolder, $"{job.DocumentId:N}-v{job.Version}-{Guid.NewGuid():N}");
        OwnerOnly.CreateFolder(folder);
        try
        {
            return await RunStepsAsync(job, version, hasText, folder, cancellationToken);
        }
        catch (StaleJobException)
        {
            return PipelineOutcome.Stale;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Ends a job that was taken too many times (each try stopped the worker) without running it again.</summary>
    public Task<PipelineOutcome> GiveUpAsync(JobMessage job, string reason, CancellationToken cancellationToken) =>
        EndAsync(job, ProcessingOutcome.DeadLettered, reason, cancellationToken);

    private async Task<PipelineOutcome> RunStepsAsync(JobMessage job, DocumentVersion version, bool hasText, string folder, CancellationToken cancellationToken)
    {
        var file = Path.Combine(folder, "content");
        try
        {
            // Scanned first, whatever the content turns out to be, so every version gets a verdict: only a clean one is served.
            var scan = await RunStepAsync(job, StepName.Scan, async token =>
            {
                await download.CopyAsync(version, file, token);
                if (scanner is null)
                {
                    return new StepDone<ScanResult>(new ScanResult(ScanVerdict.Skipped), StepOutcome.Skipped,
                        "scanner switched off (Dms:Scanner:Provider is Disabled)", new StepEffect.Scanned(ScanVerdict.Skipped, null));
                }

                await using var content = File.OpenRead(file);
                var result = await scanner.ScanAsync(content, token);
                return result switch
                {
                    { WhyNotScanned: { } why } => throw new UnreadableContentException(why),
                    { Verdict: ScanVerdict.Infected } => new StepDone<ScanResult>(result, StepOutcome.Infected, $"found {result.Threat}", new StepEffect.Scanned(ScanVerdict.Infected, null)),
                    _ => new StepDone<ScanResult>(result, StepOutcome.Succeeded, "clean", new StepEffect.Scanned(ScanVerdict.Clean, null)),
                };
            }, cancellationToken);
            if (scan.Verdict == ScanVerdict.Infected)
            {
                return await EndAsync(job, ProcessingOutcome.Quarantined, $"Malware found: {scan.Threat}. The content can no longer be downloaded.", cancellationToken);
            }

            // A rerun after a crash skips extraction when its text is already stored.
            var afterTypeCheck = new StepEffect.Advance(hasText ? DocumentStatus.Indexing : DocumentStatus.Extracting);
            var detected = await RunStepAsync(job, StepName.TypeCheck, _ =>
            {
                var sniffed = ContentSniffer.Sniff(file);
                if (sniffed.ContentType is not { } type)
                {
                    throw new UnreadableContentException(sniffed.Problem!);
                }

                return ContentTypes.Satisfies(type, version.ContentType)
                    ? Task.FromResult(new StepDone<string>(type, StepOutcome.Succeeded, $"content is {type}", afterTypeCheck))
                    : throw new UnreadableContentException($"The file was declared as {version.ContentType} but its content is {type}.");
            }, cancellationToken);

            if (!hasText)
            {
                await RunStepAsync(job, StepName.Extract, async token =>
                {
                    var extracted = await extractor.ExtractAsync(file, detected, version.ContentType, folder, Settings.MaxTextLength, token);
                    var text = extracted.Text.Length > Settings.MaxTextLength ? extracted.Text[..Settings.MaxTextLength] : extracted.Text;
                    return new StepDone<bool>(true, StepOutcome.Succeeded, extracted.Detail, new StepEffect.StoreText(
                        text, extracted.Pages, extracted.OcrPages,
                        DateProposal.FirstIn(text, documents.Value.DateOrder, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), extracted.Created)));
                }, cancellationToken);
            }

            await RunStepAsync(job, StepName.Preview, token => PreviewAsync(job, file, detected, folder, token), cancellationToken);

            // Indexed in the transaction that makes the document ready, so it is searchable exactly when it is ready.
            await RunStepAsync(job, StepName.Index, _ => Task.FromResult(new StepDone<bool>(true, StepOutcome.Succeeded, "indexed for search", new StepEffect.MakeReady())),
                cancellationToken);
            return new PipelineOutcome(ProcessingOutcome.Ready);
        }
        catch (UnreadableContentException e)
        {
            return await EndAsync(job, ProcessingOutcome.Failed, e.Message, cancellationToken);
        }
        catch (StepGaveUpException e)
        {
            return await EndAsync(job, ProcessingOutcome.DeadLettered, e.Message, cancellationToken, e.ForOperators);
        }
    }

    /// <summary>
    /// Stores the version's thumbnail and first page images beside its bytes. A type without a preview, or content that
    /// cannot be rendered within the budgets, is a skipped step saying why: the document is still ready, without images.
    /// </summary>
    private async Task<StepDone<bool>> PreviewAsync(JobMessage job, string file, string type, string folder, CancellationToken cancellationToken)
    {
        if (!PreviewTypes.Renders(type))
        {
            return new StepDone<bool>(false, StepOutcome.Skipped, $"no preview for {type}", new StepEffect.Advance(null));
        }

        PreviewImages rendered;
        try
        {
            rendered = await previews.RenderAsync(file, type, folder, cancellationToken);
        }
        catch (UnreadableContentException e)
        {
            return new StepDone<bool>(false, StepOutcome.Skipped, $"no preview: {e.Message}", new StepEffect.Advance(null));
        }

        foreach (var (page, path) in rendered.Images)
        {
            await using var image = File.OpenRead(path);
            await blobs.PutAsync(BlobKeys.ForPreview(job.TenantId, job.DocumentId, job.Version, page), image, OpenPreview.ContentType, cancellationToken);
        }

        return new StepDone<bool>(true, StepOutcome.Succeeded, rendered.Detail, new StepEffect.Advance(null));
    }

    /// <param name="Effect">What the step writes with its record: where the document goes next, what it stores.</param>
    private sealed record StepDone<T>(T Value, StepOutcome Outcome, string Detail, StepEffect Effect);

    /// <summary>
    /// Runs one step with retries, recording each attempt as it starts and as it ends; a success is written together
    /// with its effect. The recorded attempt counts every start (a crash's too); the retries count this run's.
    /// </summary>
    private async Task<T> RunStepAsync<T>(JobMessage job, StepName step, Func<CancellationToken, Task<StepDone<T>>> body, CancellationToken cancellationToken)
    {
        var attempt = 0;
        try
        {
            return await Retry.ExecuteAsync(async token =>
            {
                attempt++;
                var recorded = await store.StartStepAsync(job, step, token);
                var started = Stopwatch.GetTimestamp();
                using var span = Telemetry.Source.StartActivity($"{SnakeCaseNames<StepName>.ToName(step)} step");
                span?.SetTag("dms.attempt", recorded);
                try
                {
                    var done = await body(token);
                    await RecordAsync(job, new StepRecord(step, done.Outcome, recorded, Stopwatch.GetElapsedTime(started), done.Detail, null), done.Effect, token);
                    return done.Value;
                }
                catch (Exception e) when (e is not OperationCanceledException and not StaleJobException)
                {
                    span?.SetStatus(ActivityStatusCode.Error, e.Message);
                    var outcome = IsPermanent(e) || attempt >= Settings.MaxAttempts ? StepOutcome.Failed : StepOutcome.Retrying;
                    await RecordAsync(job, new StepRecord(step, outcome, recorded, Stopwatch.GetElapsedTime(started), null, InUserTerms(step, e)), null, token);
                    LogStepFailed(logger, job.TenantId, job.DocumentId, SnakeCaseNames<StepName>.ToName(step), recorded, e.Message);
                    throw;
                }
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not StaleJobException and not UnreadableContentException)
        {
            if (e is TimeoutException or OutOfMemoryException or InsufficientExecutionStackException)
            {
                throw new UnreadableContentException(InUserTerms(step, e));
            }

            var gaveUp = $"{GaveUpPrefix(step)} after {attempt} attempts: ";
            throw new StepGaveUpException(gaveUp + InUserTerms(step, e), gaveUp + e.Message);
        }
    }

    /// <summary>
    /// What a failed step tells the document's users: what failed, in their terms. The exception (addresses, paths,
    /// SQL) is for operators only: the log and the dead letter carry it.
    /// </summary>
    private static string InUserTerms(StepName step, Exception e) => e switch
    {
        UnreadableContentException => e.Message,
        TimeoutException => $"The {StepTitle(step)} took longer than allowed and was stopped.",
        OutOfMemoryException or InsufficientExecutionStackException => $"The {StepTitle(step)} needed more memory than a document may: the file is built to expand or nests too deeply.",
        ScannerUnavailableException => "The malware scanner did not answer.",
        _ => $"The {StepTitle(step)} failed on our side; the operators have the details.",
    };

    private static string StepTitle(StepName step) => step switch
    {
        StepName.Scan => "malware scan",
        StepName.TypeCheck => "type check",
        StepName.Extract => "text extraction",
        StepName.Preview => "preview",
        _ => "indexing",
    };

    private static string GaveUpPrefix(StepName step) => step switch
    {
        StepName.Scan => "Malware scan timeout",
        StepName.TypeCheck => "Type check failed",
        StepName.Extract => "Text extraction failed",
        StepName.Preview => "Preview failed",
        _ => "Indexing failed",
    };

    /// <summary>
    /// Content problems, tools that ran out of time and content that needed more memory or nesting than a document
    /// may fail at once: trying again would do the same.
    /// </summary>
    private static bool IsPermanent(Exception e) => e is UnreadableContentException or TimeoutException or OutOfMemoryException or InsufficientExecutionStackException;

    /// <summary>Built once per job, not once per step.</summary>
    private ResiliencePipeline Retry => _retry ??= new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
    {
        MaxRetryAttempts = Settings.MaxAttempts - 1 is var retries and > 0 ? retries : 0,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = Settings.RetryBaseDelay,
        MaxDelay = Settings.RetryMaxDelay,
        ShouldHandle = new PredicateBuilder().Handle<Exception>(e => !IsPermanent(e) && e is not OperationCanceledException and not StaleJobException),
    }).Build();

    /// <summary>
    /// Ends the job with <paramref name="outcome"/> and its reason for users (<paramref name="forOperators"/>, with the
    /// cause, goes to the dead letter); a document that no longer wants this version processed makes it stale instead.
    /// </summary>
    private async Task<PipelineOutcome> EndAsync(JobMessage job, ProcessingOutcome outcome, string reason, CancellationToken cancellationToken, string? forOperators = null) =>
        await store.EndAsync(job, outcome, reason, cancellationToken) ? new PipelineOutcome(outcome, forOperators ?? reason) : PipelineOutcome.Stale;

    private async Task RecordAsync(JobMessage job, StepRecord record, StepEffect? effect, CancellationToken cancellationToken)
    {
        metrics.StepTook(SnakeCaseNames<StepName>.ToName(record.Step), record.Duration);
        await store.RecordStepAsync(job, record, effect, cancellationToken);
    }

    /// <param name="message">What users are told.</param>
    /// <param name="forOperators">The same with the cause, for the dead letter.</param>
    private sealed class StepGaveUpException(string message, string forOperators) : Exception(message)
    {
        public string ForOperators { get; } = forOperators;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Step {step} of document {documentId} (tenant {tenantId}) failed on attempt {attempt}: {errorMessage}")]
    private static partial void LogStepFailed(ILogger logger, Guid tenantId, Guid documentId, string step, int attempt, string errorMessage);
}
