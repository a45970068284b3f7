using Dms.Common;
using Dms.Documents;
using Dms.Operations;
using Dms.Persistence;
using Dms.Queue;
using Dms.Search;
using Microsoft.EntityFrameworkCore;

namespace Dms.Processing;

/// <summary>The version a worker claimed, and whether its text is stored already (a rerun after a crash skips extraction).</summary>
public sealed record ClaimedVersion(DocumentVersion Version, bool HasText);

/// <summary>What one attempt at one step did, as <see cref="ProcessingStep"/> records it.</summary>
public sealed record StepRecord(StepName Step, StepOutcome Outcome, int Attempt, TimeSpan Duration, string? Detail, string? Error);

/// <summary>What a successful step writes with its record, in the same transaction.</summary>
public abstract record StepEffect
{
    /// <summary>The document moves on to <paramref name="To"/> (nothing, when null).</summary>
    public sealed record Advance(DocumentStatus? To) : StepEffect;

    /// <summary>The scanner's <paramref name="Verdict"/> on the version's bytes is recorded; the document moves on to <paramref name="To"/> (nothing, when null).</summary>
    public sealed record Scanned(ScanVerdict Verdict, DocumentStatus? To) : StepEffect;

    /// <summary>The text read from the version is stored and the document moves on to indexing.</summary>
    /// <param name="ProposedDate">The date read in the text, offered on a document whose date is not set.</param>
    public sealed record StoreText(string Text, int Pages, int OcrPages, DateOnly? ProposedDate = null) : StepEffect;

    /// <summary>The document is indexed and ready, in one transaction: searchable exactly when it is ready.</summary>
    public sealed record MakeReady : StepEffect;
}

/// <summary>
/// Every statement the pipeline runs against the database: claim a job's document, record a step with what it moves
/// or stores, end processing. Each write checks that the document still wants this version processed (in flight, at
/// this version), per <see cref="DocumentStatusTable"/>; when it does not, the job is stale and
/// <see cref="StaleJobException"/> says so.
/// </summary>
public sealed class ProcessingStore(DmsDbContext db, ISearchIndex search, TimeProvider time)
{
    /// <summary>Longest step detail, error or failure reason kept.</summary>
    public const int MaxMessageLength = 2000;

    private static readonly string[] InFlight = Names(DocumentStatusTable.InFlight);
    private static readonly string[] Claimable = Names(DocumentStatusTable.From(DocumentTrigger.Claim));

    /// <summary>
    /// Marks the document as scanning and loads the version; null when the document no longer wants this version
    /// processed. A failed document is claimable: its job is one an operator redrove from the dead letters, taken up
    /// here when a worker takes the job, so a redrive is one write to the queue with nothing to race against.
    /// </summary>
    public async Task<ClaimedVersion?> ClaimAsync(JobMessage job, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(job.TenantId, cancellationToken);
        if (await MoveAsync(job, DocumentStatus.Scanning, null, Claimable, cancellationToken) == 0)
        {
            return null;
        }

        var version = await db.DocumentVersions.AsNoTracking().SingleAsync(v => v.DocumentId == job.DocumentId && v.Version == job.Version, cancellationToken);
        var hasText = await db.DocumentTexts.AnyAsync(t => t.DocumentId == job.DocumentId && t.Version == job.Version, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ClaimedVersion(version, hasText);
    }

    /// <summary>
    /// Records that an attempt at <paramref name="step"/> starts (outcome running) and returns its number: one more
    /// than the step's attempts so far, so a start that a crash cut short is counted too.
    /// </summary>
    public async Task<int> StartStepAsync(JobMessage job, StepName step, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(job.TenantId, cancellationToken);
        var attempt = await db.Database.SqlQuery<int>($"""
            INSERT INTO processing_steps AS s (tenant_id, document_id, version, step, outcome, attempt, duration_ms, detail, error, finished_at)
            VALUES ({job.TenantId}, {job.DocumentId}, {job.Version}, {SnakeCaseNames<StepName>.ToName(step)}, {SnakeCaseNames<StepOutcome>.ToName(StepOutcome.Running)},
                    1, 0, NULL, NULL, {time.GetUtcNow()})
            ON CONFLICT (document_id, version, step) DO UPDATE
            SET outcome = excluded.outcome, attempt = s.attempt + 1, duration_ms = 0, detail = NULL, error = NULL, finished_at = excluded.finished_at
            RETURNING attempt AS "Value"
            """).ToListAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return attempt.Single();
    }

    /// <summary>Records an attempt, and for a success what <paramref name="effect"/> moves or stores with it.</summary>
    /// <exception cref="StaleJobException">The effect would move a document that is no longer in flight at this version.</exception>
    public async Task RecordStepAsync(JobMessage job, StepRecord record, StepEffect? effect, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(job.TenantId, cancellationToken);
        switch (effect)
        {
            case StepEffect.Advance { To: { } next }:
                await AdvanceAsync(job, next, null, cancellationToken);
                break;
            case StepEffect.Scanned scanned:
                await RecordVerdictAsync(job, scanned, cancellationToken);
                break;
            case StepEffect.StoreText text:
                await AdvanceAsync(job, DocumentStatus.Indexing, null, cancellationToken);
                await StoreTextAsync(job, text, cancellationToken);
                break;
            case StepEffect.MakeReady:
                await AdvanceAsync(job, DocumentStatus.Ready, null, cancellationToken);
                await search.IndexAsync(job.TenantId, job.DocumentId, cancellationToken);
                await RecordOutcomeAsync(job, ProcessingOutcome.Ready, cancellationToken);
                break;
        }

        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO processing_steps (tenant_id, document_id, version, step, outcome, attempt, duration_ms, detail, error, finished_at)
            VALUES ({job.TenantId}, {job.DocumentId}, {job.Version}, {SnakeCaseNames<StepName>.ToName(record.Step)}, {SnakeCaseNames<StepOutcome>.ToName(record.Outcome)},
                    {record.Attempt}, {(long)record.Duration.TotalMilliseconds}, {Clip(record.Detail)}, {Clip(record.Error)}, {time.GetUtcNow()})
            ON CONFLICT (document_id, version, step) DO UPDATE
            SET outcome = excluded.outcome, attempt = excluded.attempt, duration_ms = excluded.duration_ms,
                detail = excluded.detail, error = excluded.error, finished_at = excluded.finished_at
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Ends processing without a result (failed, dead-lettered, quarantined) with its reason; false when the document
    /// no longer wants this version processed, so the job was stale.
    /// </summary>
    public async Task<bool> EndAsync(JobMessage job, ProcessingOutcome outcome, string reason, CancellationToken cancellationToken)
    {
        var status = outcome == ProcessingOutcome.Quarantined ? DocumentStatus.Quarantined : DocumentStatus.Failed;
        await using var transaction = await db.BeginTenantTransactionAsync(job.TenantId, cancellationToken);
        if (await MoveAsync(job, status, reason, InFlight, cancellationToken) == 0)
        {
            return false;
        }

        await RecordOutcomeAsync(job, outcome, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task AdvanceAsync(JobMessage job, DocumentStatus next, string? reason, CancellationToken cancellationToken)
    {
        if (await MoveAsync(job, next, reason, InFlight, cancellationToken) == 0)
        {
            throw new StaleJobException();
        }
    }

    /// <summary>The one statement that changes a document's status from the pipeline: rows changed, 0 when it was not in one of <paramref name="from"/>.</summary>
    private Task<int> MoveAsync(JobMessage job, DocumentStatus to, string? reason, string[] from, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE documents SET status = {SnakeCaseNames<DocumentStatus>.ToName(to)}, failure_reason = {Clip(reason)}, updated_at = {time.GetUtcNow()}
            WHERE id = {job.DocumentId} AND current_version = {job.Version} AND status = ANY({from})
            """, cancellationToken);

    /// <summary>The verdict belongs to the bytes; it is written only while the document still wants this version processed.</summary>
    private async Task RecordVerdictAsync(JobMessage job, StepEffect.Scanned scanned, CancellationToken cancellationToken)
    {
        var recorded = await db.Database.ExecuteSqlAsync($"""
            UPDATE document_versions v SET scan_verdict = {SnakeCaseNames<ScanVerdict>.ToName(scanned.Verdict)}
            FROM documents d
            WHERE v.document_id = {job.DocumentId} AND v.version = {job.Version}
              AND d.id = v.document_id AND d.current_version = v.version AND d.status = ANY({InFlight})
            """, cancellationToken);
        if (recorded == 0)
        {
            throw new StaleJobException();
        }

        if (scanned.To is { } next)
        {
            await AdvanceAsync(job, next, null, cancellationToken);
        }
    }

    private async Task StoreTextAsync(JobMessage job, StepEffect.StoreText text, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO document_texts (tenant_id, document_id, version, text, pages, ocr_pages, extracted_at)
            VALUES ({job.TenantId}, {job.DocumentId}, {job.Version}, {text.Text}, {text.Pages}, {text.OcrPages}, {time.GetUtcNow()})
            ON CONFLICT (document_id, version) DO UPDATE
            SET text = excluded.text, pages = excluded.pages, ocr_pages = excluded.ocr_pages, extracted_at = excluded.extracted_at
            """, cancellationToken);
        if (text.ProposedDate is { } proposed)
        {
            await db.Database.ExecuteSqlAsync(
                $"UPDATE documents SET suggested_date = {proposed} WHERE id = {job.DocumentId} AND document_date IS NULL", cancellationToken);
        }
    }

    private Task RecordOutcomeAsync(JobMessage job, ProcessingOutcome outcome, CancellationToken cancellationToken)
    {
        db.RecordEvent(job.TenantId, OperationEvents.Processing, SnakeCaseNames<ProcessingOutcome>.ToName(outcome), time.GetUtcNow());
        return db.SaveChangesAsync(cancellationToken);
    }

    private static string? Clip(string? text) => text is { Length: > MaxMessageLength } ? text[..MaxMessageLength] : text;

    private static string[] Names(IEnumerable<DocumentStatus> statuses) => [.. statuses.Select(SnakeCaseNames<DocumentStatus>.ToName)];
}

/// <summary>The document was deleted, replaced by a newer version or finished meanwhile: its job has nothing left to do.</summary>
public sealed class StaleJobException : Exception;
