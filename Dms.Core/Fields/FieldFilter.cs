using System.Linq.Expressions;
using Dms.Common;
using Dms.Documents;

namespace Dms.Fields;

/// <summary>
/// A list filter on a custom field, written <c>FIELD:OP[:VALUE]</c> (FIELD its id, or its name when the name has no
/// colon): <c>eq</c> for every kind, <c>gt</c> <c>gte</c> <c>lt</c> <c>lte</c> for numbers, amounts and dates,
/// <c>in</c> (values separated by commas) for selects, <c>exists</c> and <c>missing</c> for every kind. Each runs on the
/// typed column's (tenant, field, value) index.
/// </summary>
public sealed record FieldFilter(CustomField Field, string Op, FieldValue? Value)
{
    public const int MaxPerQuery = 10;
    public const string Syntax = "FIELD:OP[:VALUE], OP one of eq, gt, gte, lt, lte, in, exists, missing";

    private static readonly string[] Ranges = ["gt", "gte", "lt", "lte"];

    public Guid FieldId => Field.Id;

    /// <summary>The field and operator of a written filter (its value is read once the field is known), or why it is not one.</summary>
    public static Outcome<(string Field, string Op, string? Value)> Split(string written)
    {
        var parts = written.Split(':', 3);
        return parts.Length >= 2 && parts[0].Trim().Length > 0 && (parts[1] is "exists" or "missing" ? parts.Length == 2 : parts.Length == 3)
            && (parts[1] is "eq" or "in" or "exists" or "missing" || Ranges.Contains(parts[1]))
            ? (parts[0].Trim(), parts[1], parts.Length == 3 ? parts[2] : null)
            : Error.Invalid("field", $"field filter '{StorableText.Quoted(written)}' is not {Syntax}.");
    }

    /// <summary>The filter on <paramref name="field"/>, its value read by the field's kind.</summary>
    public static Outcome<FieldFilter> For(CustomField field, string op, string? value)
    {
        if (Ranges.Contains(op) && field.Kind is not (FieldKind.Integer or FieldKind.Decimal or FieldKind.Monetary or FieldKind.Date))
        {
            return Error.Invalid("field", $"Field '{field.Name}' is {SnakeCaseNames<FieldKind>.ToName(field.Kind)}: only numbers, amounts and dates take {op}.");
        }

        if (op == "in" && !field.HasOptions)
        {
            return Error.Invalid("field", $"Field '{field.Name}': only select and multi-select fields take in.");
        }

        if (value is null)
        {
            return new FieldFilter(field, op, null);
        }

        // A multi-select's value is a set of options; "in" on a select is read the same way.
        var reading = op == "in" && field.Kind == FieldKind.Select ? CustomField.Create(field.TenantId, field.Name, FieldKind.MultiSelect, field.CreatedAt) : field;
        reading.ReplaceOptions(field.Options);
        var parsed = FieldValueRules.FromText(reading, value);
        return parsed.Error is { } invalid ? invalid : new FieldFilter(field, op, parsed.Value);
    }

    public IQueryable<Document> Apply(IQueryable<Document> documents)
    {
        var id = FieldId;
        return Op switch
        {
            "exists" => documents.Where(d => d.FieldValues.Any(v => v.FieldId == id)),
            "missing" => documents.Where(d => !d.FieldValues.Any(v => v.FieldId == id)),
            _ => documents.Where(Matching()),
        };
    }

    private Expression<Func<Document, bool>> Matching()
    {
        var id = FieldId;
        var value = Value!;
        Expression<Func<FieldValue, bool>> test = (value.Kind, Op) switch
        {
            (FieldKind.Integer, _) => Compare(value.Integer!.Value, v => v.Integer!.Value),
            (FieldKind.Decimal, _) => Compare(value.Number!.Value, v => v.Number!.Value),
            (FieldKind.Monetary, _) => And(Compare(value.Number!.Value, v => v.Number!.Value), v => v.Currency == value.Currency),
            (FieldKind.Date, _) => Compare(value.Date!.Value, v => v.Date!.Value),
            (FieldKind.Boolean, _) => v => v.Boolean == value.Boolean,
            (FieldKind.Select or FieldKind.MultiSelect, _) => v => v.Options!.Any(o => value.Options!.Contains(o)),
            (FieldKind.DocumentLink, _) => v => v.LinkedDocumentId == value.LinkedDocumentId,
            _ => v => v.Text == value.Text,
        };
        var withField = And(v => v.FieldId == id, test);
        return d => d.FieldValues.AsQueryable().Any(withField);
    }

    private Expression<Func<FieldValue, bool>> Compare<T>(T bound, Expression<Func<FieldValue, T>> column) where T : IComparable<T>
    {
        var left = column.Body;
        var right = Expression.Constant(bound, typeof(T));
        Expression body = Op switch
        {
            "gt" => Expression.GreaterThan(left, right),
            "gte" => Expression.GreaterThanOrEqual(left, right),
            "lt" => Expression.LessThan(left, right),
            "lte" => Expression.LessThanOrEqual(left, right),
            _ => Expression.Equal(left, right),
        };
        return Expression.Lambda<Func<FieldValue, bool>>(body, column.Parameters);
    }

    private static Expression<Func<FieldValue, bool>> And(Expression<Func<FieldValue, bool>> first, Expression<Func<FieldValue, bool>> second)
    {
        var parameter = first.Parameters[0];
        return Expression.Lambda<Func<FieldValue, bool>>(Expression.AndAlso(first.Body, Lambdas.Inline(second, parameter)), parameter);
    }
}
