using Dms.Catalogs;
using Dms.Common;

namespace Dms.Fields;

/// <summary>An option of a select or multi-select field: values hold its id, so renaming the option keeps every value.</summary>
public sealed record FieldOption(Guid Id, string Label);

/// <summary>A field a tenant defined for its documents: a name (unique in the tenant), a kind and, for selects, the options.</summary>
public sealed class CustomField : ICatalogEntry
{
    public const int MaxOptions = 200;
    public const int MaxOptionLabelLength = 200;

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public string Name { get; private set; } = "";
    public FieldKind Kind { get; private set; }
    public List<FieldOption> Options { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }

    public bool HasOptions => Kind is FieldKind.Select or FieldKind.MultiSelect;

    public static CustomField Create(Guid tenantId, string name, FieldKind kind, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), TenantId = tenantId, Name = name, Kind = kind, CreatedAt = now };

    public void Rename(string name) => Name = name;

    public void ChangeKind(FieldKind kind) => Kind = kind;

    public void ReplaceOptions(List<FieldOption> options) => Options = options;

    public FieldOption? Option(Guid id) => Options.FirstOrDefault(o => o.Id == id);

    /// <summary>
    /// The options a field is to have: each given with an id keeps it (renamed if its label changed), each without one
    /// is new; labels are unique (ignoring case), 1 to 200 characters. Options not given are removed.
    /// </summary>
    public static Outcome<List<FieldOption>> CheckOptions(string field, IReadOnlyList<(Guid? Id, string? Label)> given, IReadOnlyList<FieldOption> current)
    {
        if (given.Count > MaxOptions)
        {
            return Error.Invalid("options", $"Field '{field}': at most {MaxOptions} options.");
        }

        var options = new List<FieldOption>();
        foreach (var (id, label) in given)
        {
            if (CatalogName.Check(label, $"Field '{field}': an option's label", MaxOptionLabelLength) is { Error: { } invalid })
            {
                return invalid;
            }

            var trimmed = label!.Trim();
            if (id is { } kept && current.All(o => o.Id != kept))
            {
                return Error.Invalid("options", $"Field '{field}': the option {kept} is not one of its options (leave the id out for a new one).");
            }

            if (options.Any(o => string.Equals(o.Label, trimmed, StringComparison.OrdinalIgnoreCase) || o.Id == id))
            {
                return Error.Invalid("options", $"Field '{field}': the option '{StorableText.Quoted(trimmed)}' is given twice.");
            }

            options.Add(new FieldOption(id ?? Guid.NewGuid(), trimmed));
        }

        return options;
    }
}
