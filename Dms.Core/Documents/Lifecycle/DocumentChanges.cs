using Dms.Audit;
using Dms.Common;
using Dms.Fields;
using Dms.Holds;
using Dms.Permissions;
using Dms.Persistence;
using Dms.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Dms.Documents.Lifecycle;

/// <summary>
/// The frame of every change to one document: load it in its tenant's transaction (the viewer may change it:
/// <see cref="DocumentAccess"/>), change it, save it with its audit
/// event (the action, and each property and field value before and after), bring its search entry up to date and
/// commit, so the index never disagrees with the row and the trail never misses a change.
/// </summary>
public sealed class DocumentChanges(DmsDbContext db, ISearchIndex search, AuditTrail audit)
{
    /// <summary>Properties every change moves, which say nothing of what the change was.</summary>
    private static readonly HashSet<string> Bookkeeping = [nameof(Document.UpdatedAt)];

    /// <param name="action">What the audit trail calls the change (<see cref="Contracts.Http.AuditActions"/>).</param>
    /// <param name="change">Changes the document (adding any rows it needs to the context), or says why it cannot.</param>
    public async Task<Outcome<Document>> ApplyAsync(
        Guid tenantId, Guid documentId, string action, Func<Document, Task<Error?>> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        if (await db.Documents.SingleOrDefaultAsync(d => d.Id == documentId, cancellationToken) is not { } document)
        {
            return DocumentErrors.NotFound;
        }

        if (!await DocumentAccess.MayEditAsync(db, document, cancellationToken))
        {
            return DocumentAccess.ReadOnly;
        }

        if (await change(document) is { } refused)
        {
            return refused;
        }

        db.ChangeTracker.DetectChanges();
        audit.Changed(tenantId, action, documentId, document.CurrentVersion, Differences(document));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (HoldRules.IsRefusal(e))
        {
            // A hold placed between the check and the write: the database's trigger refused it.
            db.ChangeTracker.Clear();
            return HoldRules.FromDatabase(e);
        }
        catch (DbUpdateException e) when (DocumentAccess.IsRefusal(e))
        {
            // Row-level security refused the new row: the viewer would no longer see the document they changed.
            db.ChangeTracker.Clear();
            return DocumentAccess.WouldLoseSight;
        }
        await search.IndexAsync(tenantId, documentId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return document;
    }

    /// <param name="change">A change that is always allowed.</param>
    public Task<Outcome<Document>> ApplyAsync(Guid tenantId, Guid documentId, string action, Action<Document> change, CancellationToken cancellationToken) =>
        ApplyAsync(tenantId, documentId, action, document =>
        {
            change(document);
            return Task.FromResult<Error?>(null);
        }, cancellationToken);

    /// <summary>Each changed property and field value as <c>{ before, after }</c>, by name (field values by their field's id).</summary>
    private Dictionary<string, object?> Differences(Document document)
    {
        var differences = new Dictionary<string, object?>();
        foreach (var property in db.Entry(document).Properties.Where(p => p.IsModified && !Bookkeeping.Contains(p.Metadata.Name)))
        {
            differences[JsonName(property.Metadata.Name)] = new { before = property.OriginalValue, after = property.CurrentValue };
        }

        var fields = db.ChangeTracker.Entries<FieldValue>()
            .Where(e => e.Entity.DocumentId == document.Id && e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .ToDictionary(e => e.Entity.FieldId.ToString(), e => (object)new
            {
                before = e.State == EntityState.Added ? null : Shown(e, original: true),
                after = e.State == EntityState.Deleted ? null : Shown(e, original: false),
            });
        if (fields.Count > 0)
        {
            differences["fields"] = fields;
        }

        var grants = db.ChangeTracker.Entries<DocumentGrant>().Where(e => e.Entity.DocumentId == document.Id).ToList();
        if (grants.Any(e => e.State is EntityState.Added or EntityState.Deleted))
        {
            static object Grant(DocumentGrant g) => new { user = g.UserId, group = g.GroupId, access = g.Access };
            differences["grants"] = new
            {
                before = grants.Where(e => e.State is EntityState.Deleted or EntityState.Unchanged).Select(e => Grant(e.Entity)),
                after = grants.Where(e => e.State is EntityState.Added or EntityState.Unchanged).Select(e => Grant(e.Entity)),
            };
        }

        return differences;
    }

    /// <summary>A field value as it reads: the one of its typed columns that holds it.</summary>
    private static object? Shown(EntityEntry<FieldValue> entry, bool original)
    {
        string[] columns = [nameof(FieldValue.Text), nameof(FieldValue.Integer), nameof(FieldValue.Number), nameof(FieldValue.Currency),
            nameof(FieldValue.Date), nameof(FieldValue.Boolean), nameof(FieldValue.Options), nameof(FieldValue.LinkedDocumentId)];
        var values = columns.Select(c => entry.Property(c)).Select(p => original ? p.OriginalValue : p.CurrentValue).Where(v => v is not null).ToList();
        return values.Count switch { 0 => null, 1 => values[0], _ => values };
    }

    private static string JsonName(string property) => char.ToLowerInvariant(property[0]) + property[1..];
}
