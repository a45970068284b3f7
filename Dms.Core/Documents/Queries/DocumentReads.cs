using Dms.Audit;
using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

/// <summary>
/// The frame of every read about one document: its tenant's read scope (<see cref="TenantReads"/>: each query one
/// round trip, confined to the tenant), the document (or not found), then the read; a read the audit trail names is
/// recorded with its outcome (a document the tenant does not have is not: nothing of the tenant's was read).
/// </summary>
public sealed class DocumentReads(DmsDbContext db, AuditTrail audit)
{
    /// <param name="read">What to read about the document, in the same scope, or why it cannot be read.</param>
    public Task<Outcome<T>> ReadAsync<T>(Guid tenantId, Guid documentId, Func<Document, Task<Outcome<T>>> read, CancellationToken cancellationToken) =>
        ReadAsync(tenantId, documentId, null, read, cancellationToken);

    /// <param name="action">What the audit trail calls the read (<see cref="Contracts.Http.AuditActions"/>); null for none.</param>
    /// <param name="version">The version the read gave (the current one when not said).</param>
    /// <param name="details">What else the trail keeps of the read (the page).</param>
    public async Task<Outcome<T>> ReadAsync<T>(
        Guid tenantId, Guid documentId, string? action, Func<Document, Task<Outcome<T>>> read, CancellationToken cancellationToken,
        Func<T, int>? version = null, object? details = null)
    {
        Document? document;
        Outcome<T> outcome;
        using (db.ReadAsTenant(tenantId))
        {
            document = await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken);
            outcome = document is null ? DocumentErrors.NotFound : await read(document);
        }

        if (action is not null && document is not null)
        {
            await audit.ReadAsync(tenantId, action, documentId, outcome, outcome.Error is null && version is not null ? version(outcome.Value!) : document.CurrentVersion, details);
        }

        return outcome;
    }
}
