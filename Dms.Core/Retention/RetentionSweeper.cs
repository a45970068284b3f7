using Dms.Audit;
using Dms.Contracts.Http;
using Dms.Documents.Lifecycle;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dms.Retention;

/// <summary>
/// Applies the document types' retention rules: each pass finds, across tenants, up to <see cref="BatchSize"/>
/// documents past their type's retention — not in the trash, not under a legal hold, not kept by an admin after a
/// review — and trashes them or flags them for review, each in its own tenant's transaction with its audit event
/// (by Dms's retention, <c>system</c>). A document whose date is unknown counts from when it was added.
/// </summary>
public sealed class RetentionSweeper(IServiceScopeFactory scopes, TimeProvider time, ILogger<RetentionSweeper> logger)
{
    public const int BatchSize = 500;

    private sealed record Due(Guid Id, Guid TenantId, string Action);

    /// <summary>One pass; how many documents it trashed and flagged.</summary>
    public async Task<(int Trashed, int Flagged)> SweepAsync(CancellationToken cancellationToken)
    {
        List<Due> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DmsDbContext>();
            await using var transaction = await db.BeginCrossTenantTransactionAsync(cancellationToken);
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            due = await db.Database.SqlQuery<Due>($"""
                SELECT d.id AS id, d.tenant_id AS tenant_id, t.retention_action AS action
                FROM documents d JOIN document_types t ON t.id = d.document_type_id AND t.tenant_id = d.tenant_id
                WHERE t.retention_days IS NOT NULL
                  AND d.status NOT IN ('deleted', 'pending_upload')
                  AND d.retention_kept_at IS NULL
                  AND (t.retention_action = 'trash' OR d.retention_due_at IS NULL)
                  AND NOT EXISTS (SELECT FROM held_documents h WHERE h.document_id = d.id)
                  AND (CASE WHEN t.retention_from = 'document_date' AND d.document_date IS NOT NULL THEN d.document_date
                            ELSE (d.created_at AT TIME ZONE 'UTC')::date END) + t.retention_days <= {today}
                ORDER BY d.created_at
                LIMIT {BatchSize}
                """).ToListAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var (trashed, flagged) = (0, 0);
        foreach (var document in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<AuditContext>().Actor = AuditActor.System("retention");
            var outcome = document.Action == RetentionRule.Trash
                ? await scope.ServiceProvider.GetRequiredService<TrashDocument>().HandleAsync(document.TenantId, document.Id, cancellationToken)
                : await scope.ServiceProvider.GetRequiredService<DocumentChanges>().ApplyAsync(
                    document.TenantId, document.Id, AuditActions.RetentionDue, d => d.FlagForRetentionReview(time.GetUtcNow()), cancellationToken);
            if (outcome.Error is { } refused)
            {
                // A hold placed meanwhile, a document changed meanwhile: the next pass looks again.
                logger.LogInformation("Retention left document {DocumentId} of tenant {TenantId} as it is: {Reason}", document.Id, document.TenantId, refused.Detail);
            }
            else if (document.Action == RetentionRule.Trash)
            {
                trashed++;
            }
            else
            {
                flagged++;
            }
        }

        return (trashed, flagged);
    }
}
