using Dms.Common;
using Dms.Contracts.Http;
using Dms.Fields;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dms.Documents.Lifecycle;

/// <summary>
/// Changes what a document says about itself: title and tags, and its description (type, correspondent, date, field
/// values). Every reference must be the tenant's own; when the edit touches the type or the fields, the type's
/// required fields must have values afterwards.
/// </summary>
public sealed class EditDocument(DocumentChanges changes, DmsDbContext db, FieldReferences references, IOptions<DocumentOptions> options, TimeProvider time)
{
    public async Task<Outcome<Document>> HandleAsync(
        Guid tenantId, Guid documentId, string? title, string[]? tags, DocumentDescription? description, CancellationToken cancellationToken)
    {
        if ((DocumentMetadata.Validate(title, tags, options.Value) ?? description?.Validate()) is { } invalid)
        {
            return invalid;
        }

        if (title is not null && string.IsNullOrWhiteSpace(title))
        {
            return Error.Invalid("title", "title must not be empty.");
        }

        return await changes.ApplyAsync(tenantId, documentId, AuditActions.Edited, async document =>
        {
            var now = time.GetUtcNow();
            if (title is not null || tags is not null)
            {
                document.Edit(title, tags, now);
            }

            return description is null || description.IsEmpty ? null : await DescribeAsync(tenantId, document, description, now, cancellationToken);
        }, cancellationToken);
    }

    private async Task<Error?> DescribeAsync(Guid tenantId, Document document, DocumentDescription description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (description.DocumentTypeId is { } typeId && !await db.DocumentTypes.AnyAsync(t => t.Id == typeId, cancellationToken))
        {
            return Error.Invalid("documentType", $"There is no document type {typeId}.");
        }

        if (description.CorrespondentId is { } correspondentId && !await db.Correspondents.AnyAsync(c => c.Id == correspondentId, cancellationToken))
        {
            return Error.Invalid("correspondent", $"There is no correspondent {correspondentId}.");
        }

        var parsed = description.Fields is { Count: > 0 } fields
            ? await references.ParseAsync(tenantId, fields, cancellationToken)
            : new FieldReferences.Parsed([], []);
        if (parsed.Error is { } refused)
        {
            return refused;
        }

        document.Describe(description, parsed.Value!.Values, parsed.Value.Removed, now);
        return description.ChangesFields ? await MissingRequiredAsync(document, cancellationToken) : null;
    }

    /// <summary>The refusal naming the fields the document's type requires and it lacks, or null.</summary>
    private async Task<Error?> MissingRequiredAsync(Document document, CancellationToken cancellationToken)
    {
        if (document.DocumentTypeId is not { } typeId)
        {
            return null;
        }

        var type = await db.DocumentTypes.SingleAsync(t => t.Id == typeId, cancellationToken);
        var required = type.Fields.Where(f => f.Required).Select(f => f.FieldId).Where(id => document.FieldValues.All(v => v.FieldId != id)).ToArray();
        if (required.Length == 0)
        {
            return null;
        }

        var names = await db.CustomFields.Where(f => required.Contains(f.Id)).Select(f => f.Name).ToListAsync(cancellationToken);
        return Error.Invalid("fields", $"A document of type '{type.Name}' must have {string.Join(", ", names.Select(n => $"'{n}'"))}.");
    }
}
