using Dms.Common;
using Dms.Contracts.Http;
using Microsoft.Extensions.Options;

namespace Dms.Documents.Lifecycle;

/// <summary>
/// Tags or trashes several of a tenant's documents (<see cref="BulkActions"/>), each in its own transaction: one
/// refused (gone, or with too many tags) does not stop the others, and each one's outcome is returned in the order asked.
/// </summary>
public sealed class ChangeDocuments(DocumentChanges changes, TrashDocument trash, IOptions<DocumentOptions> options, TimeProvider time)
{
    public sealed record Change(Guid Id, Outcome<Document> Outcome);

    public async Task<Outcome<IReadOnlyList<Change>>> HandleAsync(
        Guid tenantId, string? action, IReadOnlyList<Guid>? ids, string[]? tags, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (action is not (BulkActions.Tag or BulkActions.Trash))
        {
            return Error.Invalid("action", $"action must be one of {string.Join(", ", BulkActions.All)}.");
        }

        if (ids is not { Count: > 0 and <= ApiLimits.MaxIdsPerRequest })
        {
            return Error.Invalid("ids", $"ids must name 1 to {ApiLimits.MaxIdsPerRequest} documents.");
        }

        if (action == BulkActions.Tag && (tags is not { Length: > 0 } || DocumentMetadata.Validate(null, tags, limits) is not null))
        {
            return DocumentMetadata.Validate(null, tags, limits) ?? Error.Invalid("tags", "tags must name at least one tag to add.");
        }

        var changed = new List<Change>();
        foreach (var id in ids.Distinct())
        {
            changed.Add(new Change(id, action == BulkActions.Trash
                ? await trash.HandleAsync(tenantId, id, cancellationToken)
                : await changes.ApplyAsync(tenantId, id, AuditActions.Edited, document => Task.FromResult(AddTags(document, tags!, limits)), cancellationToken)));
        }

        return changed;
    }

    private Error? AddTags(Document document, string[] tags, DocumentOptions limits)
    {
        var merged = DocumentMetadata.NormalizeTags([.. document.Tags, .. tags]);
        if (merged.Length > limits.MaxTags)
        {
            return Error.Invalid("tags", $"The document would have {merged.Length} tags: at most {limits.MaxTags} are allowed.");
        }

        document.Edit(null, merged, time.GetUtcNow());
        return null;
    }
}
