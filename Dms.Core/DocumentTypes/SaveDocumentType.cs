using Dms.Retention;
using Dms.Catalogs;
using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.DocumentTypes;

/// <summary>A document type as an admin writes it: what is null stays as it is (a new type needs a name).</summary>
/// <param name="Retention">The type's new retention; with <paramref name="ClearsRetention"/>, none (documents of the type are kept).</param>
public sealed record DocumentTypeChanges(
    string? Name, string? Description, IReadOnlyList<(Guid FieldId, bool Required)>? Fields, RetentionRule? Retention = null, bool ClearsRetention = false);

/// <summary>Adds a document type (no <c>id</c>) or changes one: its name, description and fields, each field one of the tenant's, once.</summary>
public sealed class SaveDocumentType(DmsDbContext db, TimeProvider time)
{
    public static readonly Error NotFound = Error.NotFound("The document type");

    public async Task<Outcome<DocumentType>> HandleAsync(Guid tenantId, Guid? id, DocumentTypeChanges changes, CancellationToken cancellationToken)
    {
        if (Check(id, changes) is { } invalid)
        {
            return invalid;
        }

        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var found = await db.DocumentTypes.FindOrAddAsync(
            id, () => DocumentType.Create(tenantId, "", time.GetUtcNow()), DocumentType.MaxPerTenant, "document type", NotFound, cancellationToken);
        if (found.Error is { } refused)
        {
            return refused;
        }

        var type = found.Value!;
        if (changes.Name is not null)
        {
            type.Rename(changes.Name.Trim());
        }

        if (changes.Description is not null)
        {
            type.Describe(changes.Description);
        }

        if (changes.ClearsRetention || changes.Retention is not null)
        {
            type.SetRetention(changes.ClearsRetention ? null : changes.Retention);
        }

        if (changes.Fields is { } fields)
        {
            var ids = fields.Select(f => f.FieldId).ToArray();
            var known = await db.CustomFields.Where(f => ids.Contains(f.Id)).Select(f => f.Id).ToListAsync(cancellationToken);
            if (ids.FirstOrDefault(f => !known.Contains(f)) is var unknown && unknown != Guid.Empty)
            {
                return Error.Invalid("fields", $"Field {unknown} is not one of the tenant's fields.");
            }

            type.SetFields(fields);
        }

        if (await db.SaveEntryAsync(type, "document type", cancellationToken) is { } taken)
        {
            return taken;
        }

        await transaction.CommitAsync(cancellationToken);
        return type;
    }

    private static Error? Check(Guid? id, DocumentTypeChanges changes)
    {
        if ((id is null || changes.Name is not null) && CatalogName.Check(changes.Name, "A document type's name").Error is { } badName)
        {
            return badName;
        }

        if (changes.Description is { } description
            && (description.Length > DocumentType.MaxDescriptionLength || !StorableText.IsStorable(description) || description.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t'))))
        {
            return Error.Invalid("description", $"A document type's description must be at most {DocumentType.MaxDescriptionLength} characters.");
        }

        if (changes.Retention?.Validate() is { } badRetention)
        {
            return badRetention;
        }

        return changes.Fields is { } fields && fields.Select(f => f.FieldId).Distinct().Count() != fields.Count
            ? Error.Invalid("fields", "A document type lists each field once.")
            : null;
    }
}
