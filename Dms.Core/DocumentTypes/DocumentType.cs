using Dms.Retention;
using Dms.Catalogs;

namespace Dms.DocumentTypes;

/// <summary>One of a document type's fields, in the order the type lists them, and whether a document of the type must have a value.</summary>
public sealed class DocumentTypeField
{
    public Guid TenantId { get; set; }
    public Guid DocumentTypeId { get; set; }
    public Guid FieldId { get; set; }
    public bool Required { get; set; }
    public int Position { get; set; }
}

/// <summary>What a document is (an invoice, a contract): a name, a description, and the custom fields a document of the type has.</summary>
public sealed class DocumentType : ICatalogEntry
{
    public const int MaxPerTenant = 500;
    public const int MaxDescriptionLength = 1_000;

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public string Name { get; private set; } = "";
    public string? Description { get; private set; }
    public List<DocumentTypeField> Fields { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }

    public static DocumentType Create(Guid tenantId, string name, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), TenantId = tenantId, Name = name, CreatedAt = now };

    /// <summary>How long a document of the type is kept (<see cref="RetentionRule"/>): days, from what, then what.</summary>
    public int? RetentionDays { get; private set; }
    public string? RetentionFrom { get; private set; }
    public string? RetentionAction { get; private set; }

    public RetentionRule? Retention =>
        RetentionDays is { } days ? new(days, RetentionFrom!, RetentionAction!) : null;

    /// <summary>The type's retention becomes <paramref name="rule"/> (checked by the caller); null: documents of the type are kept.</summary>
    public void SetRetention(RetentionRule? rule) => (RetentionDays, RetentionFrom, RetentionAction) = (rule?.Days, rule?.From, rule?.Action);

    public void Rename(string name) => Name = name;

    public void Describe(string? description) => Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();

    /// <summary>The type's fields become these, in this order (the rows of fields no longer listed are removed).</summary>
    public void SetFields(IReadOnlyList<(Guid FieldId, bool Required)> fields)
    {
        Fields.RemoveAll(f => fields.All(g => g.FieldId != f.FieldId));
        for (var i = 0; i < fields.Count; i++)
        {
            var (fieldId, required) = fields[i];
            if (Fields.FirstOrDefault(f => f.FieldId == fieldId) is { } kept)
            {
                (kept.Required, kept.Position) = (required, i);
            }
            else
            {
                Fields.Add(new DocumentTypeField { TenantId = TenantId, DocumentTypeId = Id, FieldId = fieldId, Required = required, Position = i });
            }
        }
    }
}
