using System.Diagnostics;
using Dms.Common;
using Dms.Data;
using Dms.Documents;
using Dms.Operations;
using Dms.Processing;
using Dms.Queue;
using Dms.Search;
using Dms.Storage;
using Dms.Worker.Extraction;
using Dms.Worker.Scanning;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Dms.Worker.Processing;

/// <summary>
/// Takes one version of a document through type check, malware scan, text extraction and indexing. Every step is
/// idempotent and records its outcome (one row per step, overwritten by each attempt); the extracted text is stored
/// with its step's record, so a rerun after a crash skips the expensive part and stores one set of results. A step
/// that fails for a reason that may pass (the scanner down) is retried with exponential back-off and jitter; content
/// that cannot be read fails at once, with the reason. Every write checks that the document still wants this version
/// processed, so a deleted or replaced document is left alone.
/// </summary>
public sealed partial class DocumentPipeline(
    DmsDbContext db,
    IBlobStore blobs,
    TextExtractor extractor,
    ISearchIndex search,
    ProcessingMetrics metrics,
    IOptions<ProcessingOptions> options,
    TimeProvider time,
    ILogger<DocumentPipeline> logger,
    IMalwareScanner? scanner = null)
{
    private static readonly string[] InFlight = [.. Enum.GetValues<DocumentStatus>().Where(s => s.IsInFlight()).Select(SnakeCaseNames<DocumentStatus>.ToName)];

    private ResiliencePipeline? _retry;

    private ProcessingOptions Settings => options.Value;

    public async Task<PipelineOutcome> RunAsync(JobMessage job, CancellationToken cancellationToken)
    {
        if (await ClaimAsync(job, cancellationToken) is not var (version, hasText))
        {
            return new PipelineOutcome(PipelineEnd.Stale);
        }

        var folder = Path.Combine(Settings.WorkFolder, $"{job.DocumentId:N}-v{job.Version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            return await RunStepsAsync(job, version, hasText, folder, cancellationToken);
        }
        catch (StaleJobException)
        {
            return new PipelineOutcome(PipelineEnd.Stale);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Ends a job that was taken too many times (each try stopped the worker) without running it again.</summary>
    public Task<PipelineOutcome> GiveUpAsync(JobMessage job, string reason, CancellationToken cancellationToken) =>
        EndAsync(job, PipelineEnd.GaveUp, reason, cancellationToken);

    private async Task<PipelineOutcome> RunStepsAsync(JobMessage job, DocumentVersion version, bool hasText, string folder, CancellationToken cancellationToken)
    {
        var file = Path.Combine(folder, "content");
        try
        {
            var detected = await RunStepAsync(job, StepName.TypeCheck, null, async token =>
            {
                await DownloadAsync(version.BlobKey, file, token);
                var sniffed = ContentSniffer.Sniff(file);
                if (sniffed.ContentType is not { } type)
                {
                    throw new UnreadableContentException(sniffed.Problem!);
                }

                return ContentTypes.Satisfies(type, version.ContentType)
                    ? new StepDone<string>(type, StepOutcome.Succeeded, $"content is {type}")
                    : throw new UnreadableContentException($"The file was declared as {version.ContentType} but its content is {type}.");
            }, cancellationToken);

            // A rerun after a crash skips extraction when its text is already stored.
            var verdict = await RunStepAsync(job, StepName.Scan, hasText ? DocumentStatus.Indexing : DocumentStatus.Extracting, async token =>
            {
                if (scanner is null)
                {
                    return new StepDone<ScanVerdict?>(null, StepOutcome.Skipped, "scanner switched off (Dms:Scanner:Provider is Disabled)");
                }

                await using var content = File.OpenRead(file);
                var result = await scanner.ScanAsync(content, token);
                return result.Infected
                    ? new StepDone<ScanVerdict?>(result, StepOutcome.Infected, $"found {result.Threat}")
                    : new StepDone<ScanVerdict?>(result, StepOutcome.Succeeded, "clean");
            }, cancellationToken);
            if (verdict is { Infected: true })
            {
                return await EndAsync(job, PipelineEnd.Quarantined, $"Malware found: {verdict.Threat}. The content can no longer be downloaded.", cancellationToken);
            }

            if (!hasText)
            {
                await RunStepAsync(job, StepName.Extract, DocumentStatus.Indexing, async token =>
                {
                    var extracted = await extractor.ExtractAsync(file, detected, version.ContentType, folder, token);
                    return new StepDone<bool>(true, StepOutcome.Succeeded, extracted.Detail, persistToken => StoreTextAsync(job, extracted, persistToken));
                }, cancellationToken);
            }

            // Indexed in the transaction that makes the document ready, so it is searchable exactly when it is ready.
            var ready = new PipelineOutcome(PipelineEnd.Ready);
            await RunStepAsync(job, StepName.Index, DocumentStatus.Ready, token => Task.FromResult(new StepDone<bool>(
                true, StepOutcome.Succeeded, "indexed for search", async persistToken =>
                {
                    await search.IndexAsync(job.TenantId, job.DocumentId, persistToken);
                    await db.RecordEventAsync(job.TenantId, OperationEvents.Processing, ready.MetricName, time.GetUtcNow(), persistToken);
                })), cancellationToken);
            return ready;
        }
        catch (UnreadableContentException e)
        {
            return await EndAsync(job, PipelineEnd.Failed, e.Message, cancellationToken);
        }
        catch (StepGaveUpException e)
        {
            return await EndAsync(job, PipelineEnd.GaveUp, e.Message, cancellationToken);
        }
    }

    /// <param name="Persist">What the step stores, written in the transaction that records the step.</param>
    private sealed record StepDone<T>(T Value, StepOutcome Outcome, string Detail, Func<CancellationToken, Task>? Persist = null);

    /// <summary>
    /// Runs one step with retries, recording each attempt. A success is written together with
    /// <paramref name="nextStatus"/>, the status of the step that follows (null: unchanged).
    /// </summary>
    private async Task<T> RunStepAsync<T>(
        JobMessage job, StepName step, DocumentStatus? nextStatus, Func<CancellationToken, Task<StepDone<T>>> body, CancellationToken cancellationToken)
    {
        var attempt = 0;
        try
        {
            return await Retry.ExecuteAsync(async token =>
            {
                attempt++;
                var started = Stopwatch.GetTimestamp();
                using var span = Telemetry.Source.StartActivity($"{SnakeCaseNames<StepName>.ToName(step)} step");
                span?.SetTag("dms.attempt", attempt);
                try
                {
                    var done = await body(token);
                    await RecordAsync(job, step, done.Outcome, attempt, Stopwatch.GetElapsedTime(started), done.Detail, null, nextStatus, token, done.Persist);
                    return done.Value;
                }
                catch (Exception e) when (e is not OperationCanceledException and not StaleJobException)
                {
                    span?.SetStatus(ActivityStatusCode.Error, e.Message);
                    var outcome = IsPermanent(e) || attempt >= Settings.MaxAttempts ? StepOutcome.Failed : StepOutcome.Retrying;
                    await RecordAsync(job, step, outcome, attempt, Stopwatch.GetElapsedTime(started), null, e.Message, null, token);
                    LogStepFailed(logger, job.TenantId, job.DocumentId, SnakeCaseNames<StepName>.ToName(step), attempt, e.Message);
                    throw;
                }
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not StaleJobException and not UnreadableContentException)
        {
            if (e is TimeoutException)
            {
                throw new UnreadableContentException(e.Message);
            }

            throw new StepGaveUpException($"{GaveUpPrefix(step)} after {attempt} attempts: {e.Message}");
        }
    }

    private static string GaveUpPrefix(StepName step) => step switch
    {
        StepName.Scan => "Malware scan timeout",
        StepName.Extract => "Text extraction failed",
        StepName.Index => "Indexing failed",
        _ => "Type check failed",
    };

    /// <summary>Content problems and tools that ran out of time fail at once: trying again would do the same.</summary>
    private static bool IsPermanent(Exception e) => e is UnreadableContentException or TimeoutException;

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
    /// Marks the document as scanning and loads the version and whether its text is stored already; null when the
    /// document no longer wants this version processed. A job for a failed document is one an operator redrove from
    /// the dead letters: it is taken up here too, when a worker takes the job, so a redrive is one write to the queue
    /// with nothing to race against.
    /// </summary>
    private async Task<(DocumentVersion Version, bool HasText)?> ClaimAsync(JobMessage job, CancellationToken cancellationToken)
    {
        string[] claimable = [.. InFlight, SnakeCaseNames<DocumentStatus>.ToName(DocumentStatus.Failed)];
        await using var transaction = await db.BeginTenantTransactionAsync(job.TenantId, cancellationToken);
        var claimed = await db.Database.ExecuteSqlAsync($"""
            UPDATE documents SET status = {SnakeCaseNames<DocumentStatus>.ToName(DocumentStatus.Scanning)}, failure_reason = NULL, updated_at = {time.GetUtcNow()}
            WHERE id = {job.DocumentId} AND current_version = {job.Version} AND status = ANY({claimable})
            """, cancellationToken);
        if (claimed == 0)
        {
            return null;
        }

        var version = await db.DocumentVersions.AsNoTracking().SingleAsync(v => v.DocumentId == job.DocumentId && v.Version == job.Version, cancellationToken);
        var hasText = await db.DocumentTexts.AnyAsync(t => t.DocumentId == job.DocumentId && t.Version == job.Version, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (version, hasText);
    }

    private async Task DownloadAsync(string key, string file, CancellationToken cancellationToken)
    {
        await using var source = await blobs.OpenReadAsync(key, cancellationToken);
        await using var target = File.Create(file);
        await source.CopyToAsync(target, cancellationToken);
    }

    private async Task StoreTextAsync(JobMessage job, ExtractedText extracted, CancellationToken cancellationToken)
    {
        var text = extracted.Text.Length > Settings.MaxTextLength ? extracted.Text[..Settings.MaxTextLength] : extracted.Text;
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO document_texts (tenant_id, document_id, version, text, pages, ocr_pages, extracted_at)
            VALUES ({job.TenantId}, {job.DocumentId}, {job.Version}, {text}, {extracted.Pages}, {extracted.OcrPages}, {time.GetUtcNow()})
            ON CONFLICT (document_id, version) DO UPDATE
            SET text = excluded.text, pages = excluded.pages, ocr_pages = excluded.ocr_pages, extracted_at = excluded.extracted_at
            """, cancellationToken);
    }

    /// <summary>
    /// Writes the document's end state with its reason (quarantined; failed, whether at once or after giving up);
    /// a document that no longer wants this version processed makes the job stale instead.
    /// </summary>
    private async Task<PipelineOutcome> EndAsync(JobMessage job, PipelineEnd end, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await using var transaction = await db.BeginTenantTransactionAsync(job.TenantId, cancellationToken);
            await UpdateInFlightAsync(job, end == PipelineEnd.Quarantined ? DocumentStatus.Quarantined : DocumentStatus.Failed, reason, cancellationToken);
            var outcome = new PipelineOutcome(end, reason);
            await db.RecordEventAsync(job.TenantId, OperationEvents.Processing, outcome.MetricName, time.GetUtcNow(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return outcome;
        }
        catch (StaleJobException)
        {
            return new PipelineOutcome(PipelineEnd.Stale);
        }
    }

    private async Task RecordAsync(
        JobMessage job, StepName step, StepOutcome outcome, int attempt, TimeSpan duration, string? detail, string? error, DocumentStatus? status,
        CancellationToken cancellationToken, Func<CancellationToken, Task>? persist = null)
    {
        var stepName = SnakeCaseNames<StepName>.ToName(step);
        metrics.StepTook(stepName, duration);
        await using var transaction = await db.BeginTenantTransactionAsync(job.TenantId, cancellationToken);
        if (status is { } next)
        {
            await UpdateInFlightAsync(job, next, null, cancellationToken);
        }

        if (persist is not null)
        {
            await persist(cancellationToken);
        }

        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO processing_steps (tenant_id, document_id, version, step, outcome, attempt, duration_ms, detail, error, finished_at)
            VALUES ({job.TenantId}, {job.DocumentId}, {job.Version}, {stepName}, {SnakeCaseNames<StepOutcome>.ToName(outcome)}, {attempt},
                    {(long)duration.TotalMilliseconds}, {Clip(detail)}, {Clip(error)}, {time.GetUtcNow()})
            ON CONFLICT (document_id, version, step) DO UPDATE
            SET outcome = excluded.outcome, attempt = excluded.attempt, duration_ms = excluded.duration_ms,
                detail = excluded.detail, error = excluded.error, finished_at = excluded.finished_at
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Moves an in-flight document on; throws <see cref="StaleJobException"/> when it is no longer in flight at this version.</summary>
    private async Task UpdateInFlightAsync(JobMessage job, DocumentStatus status, string? reason, CancellationToken cancellationToken)
    {
        var updated = await db.Database.ExecuteSqlAsync($"""
            UPDATE documents SET status = {SnakeCaseNames<DocumentStatus>.ToName(status)}, failure_reason = {Clip(reason)}, updated_at = {time.GetUtcNow()}
            WHERE id = {job.DocumentId} AND current_version = {job.Version} AND status = ANY({InFlight})
            """, cancellationToken);
        if (updated == 0)
        {
            throw new StaleJobException();
        }
    }

    private static string? Clip(string? text) => text is { Length: > 2000 } ? text[..2000] : text;

    /// <summary>The document was deleted, replaced by a newer version or finished meanwhile.</summary>
    private sealed class StaleJobException : Exception;

    private sealed class StepGaveUpException(string message) : Exception(message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Step {step} of document {documentId} (tenant {tenantId}) failed on attempt {attempt}: {errorMessage}")]
    private static partial void LogStepFailed(ILogger logger, Guid tenantId, Guid documentId, string step, int attempt, string errorMessage);
}
