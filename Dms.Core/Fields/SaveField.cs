using Dms.Catalogs;
using Dms.Common;
using Dms.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Dms.Fields;

/// <summary>
/// A custom field as an admin writes it: what is null stays as it is (a new field needs a name and a kind). Options
/// are for selects: each given with its id keeps it. <see cref="ClearUnconvertible"/> lets a change remove the values
/// it cannot keep instead of being refused.
/// </summary>
public sealed record FieldChanges(string? Name, string? Kind, IReadOnlyList<(Guid? Id, string? Label)>? Options, bool ClearUnconvertible = false);

/// <summary>
/// Adds a custom field (no <c>id</c>) or changes one. Changing its kind converts every value through its text (12 to
/// text, "12" to a number, "Paid" to the option labelled so, "EUR12.50" to an amount); removing an option or changing
/// the kind is refused, naming how many values would not survive, unless the change says to clear them.
/// </summary>
public sealed class SaveField(DmsDbContext db, TimeProvider time)
{
    public const int MaxPerTenant = 500;

    /// <summary>The most values one change of kind converts (in one transaction).</summary>
    public const int MaxConvertedValues = 200_000;

    public static readonly Error NotFound = Error.NotFound("The field");

    public async Task<Outcome<CustomField>> HandleAsync(Guid tenantId, Guid? id, FieldChanges changes, CancellationToken cancellationToken)
    {
        var name = id is null || changes.Name is not null ? CatalogName.Check(changes.Name, "A field's name") : Outcome<string>.Of(null!);
        if (name.Error is { } badName)
        {
            return badName;
        }

        FieldKind? kind = null;
        if (changes.Kind is not null || id is null)
        {
            if (changes.Kind is null || !Contracts.Http.FieldDataTypes.All.Contains(changes.Kind))
            {
                return Error.Invalid("dataType", $"dataType must be one of {string.Join(", ", Contracts.Http.FieldDataTypes.All)}.");
            }

            kind = SnakeCaseNames<FieldKind>.Parse(changes.Kind);
        }

        await using var transaction = await db.BeginTenantTransactionAsync(tenantId, cancellationToken);
        var found = await db.CustomFields.FindOrAddAsync(
            id, () => CustomField.Create(tenantId, name.Value!, kind!.Value, time.GetUtcNow()), MaxPerTenant, "field", NotFound, cancellationToken);
        if (found.Error is { } refused)
        {
            return refused;
        }

        var field = found.Value!;
        if (name.Value is not null)
        {
            field.Rename(name.Value);
        }

        if (await ReshapeAsync(field, kind ?? field.Kind, changes, isNew: id is null, cancellationToken) is { } lost)
        {
            return lost;
        }

        if (await db.SaveEntryAsync(field, "field", cancellationToken) is { } taken)
        {
            return taken;
        }

        await transaction.CommitAsync(cancellationToken);
        return field;
    }

    /// <summary>Gives the field its kind and options and converts its values to them (or says how many would be lost).</summary>
    private async Task<Error?> ReshapeAsync(CustomField field, FieldKind kind, FieldChanges changes, bool isNew, CancellationToken cancellationToken)
    {
        var before = CustomField.Create(field.TenantId, field.Name, field.Kind, field.CreatedAt);
        before.ReplaceOptions(field.Options);
        var wantsOptions = kind is FieldKind.Select or FieldKind.MultiSelect;
        if (changes.Options is not null && !wantsOptions)
        {
            return Error.Invalid("options", $"Field '{field.Name}': only select and multi-select fields have options.");
        }

        var options = changes.Options is { } given ? CustomField.CheckOptions(field.Name, given, field.Options) : Outcome<List<FieldOption>>.Of(wantsOptions ? field.Options : []);
        if (options.Error is { } badOptions)
        {
            return badOptions;
        }

        field.ChangeKind(kind);
        field.ReplaceOptions(options.Value!);
        var reshaped = kind != before.Kind || !options.Value!.SequenceEqual(before.Options);
        if (isNew || !reshaped)
        {
            return null;
        }

        var values = await db.FieldValues.Where(v => v.FieldId == field.Id).Take(MaxConvertedValues + 1).ToListAsync(cancellationToken);
        if (values.Count > MaxConvertedValues)
        {
            return new Error(ErrorKind.Conflict, "too-many-values", $"Field '{field.Name}' has more than {MaxConvertedValues} values: one change converts at most that many.");
        }

        var lost = new List<FieldValue>();
        foreach (var value in values)
        {
            // Links and users are references the text cannot prove: a field becomes one only while it has no values.
            var converted = kind is FieldKind.DocumentLink or FieldKind.User && kind != before.Kind
                ? null
                : FieldValueRules.FromText(field, AsText(before, field, value)) is { Error: null, Value: { } ok } ? ok : null;
            if (converted is null)
            {
                lost.Add(value);
            }
            else
            {
                value.Overwrite(converted);
            }
        }

        if (lost.Count > 0 && !changes.ClearUnconvertible)
        {
            return new Error(ErrorKind.Conflict, "values-would-be-lost",
                $"Field '{field.Name}': {lost.Count} of its {values.Count} values cannot be kept as {SnakeCaseNames<FieldKind>.ToName(kind)} "
                + $"(for example '{StorableText.Quoted(FieldValueRules.ToText(before, lost[0]))}'); send clearUnconvertible: true to remove them.");
        }

        db.FieldValues.RemoveRange(lost);
        return null;
    }

    /// <summary>A value's text for its conversion: between kinds with options, the option ids (so a renamed option keeps its values).</summary>
    private static string AsText(CustomField before, CustomField after, FieldValue value) =>
        before.HasOptions && after.HasOptions ? string.Join(",", value.Options ?? []) : FieldValueRules.ToText(before, value);
}
