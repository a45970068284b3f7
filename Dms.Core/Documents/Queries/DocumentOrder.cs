using System.Buffers.Text;
using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Correspondents;
using Dms.DocumentTypes;
using Dms.Fields;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

/// <summary>
/// A listing's order other than by when documents were added (<see cref="DocumentQuery.Newest"/>,
/// <see cref="DocumentQuery.Oldest"/>): by <c>title</c>, document <c>date</c>, <c>type</c> or <c>correspondent</c>
/// (their names), or <c>field:FIELD</c> (a custom field's value; a choice's by the order of its options), ascending,
/// or descending with a leading <c>-</c>. Documents without the value come last either way; equal values keep the
/// order of their ids. Pages follow a keyset cursor of (has no value, value, id), so that documents added or changed
/// between two pages are neither skipped nor shown twice because of an offset.
/// </summary>
public sealed record DocumentOrder(string Written, string Key, string? Field, bool Descending)
{
    private const char Separator = '\u001f';

    /// <summary>The order written, or null for one by when documents were added (newest or oldest, or none given).</summary>
    public static Outcome<DocumentOrder?> Parse(string? written)
    {
        if (written is null or DocumentQuery.Newest or DocumentQuery.Oldest)
        {
            return Outcome<DocumentOrder?>.Of(null);
        }

        var descending = written.StartsWith(DocumentOrders.Descending, StringComparison.Ordinal);
        var key = descending ? written[1..] : written;
        if (key is DocumentOrders.Title or DocumentOrders.Date or DocumentOrders.Type or DocumentOrders.Correspondent)
        {
            return new DocumentOrder(written, key, null, descending);
        }

        return key.StartsWith(DocumentOrders.FieldPrefix, StringComparison.Ordinal) && key[DocumentOrders.FieldPrefix.Length..].Trim() is { Length: > 0 } field
            ? new DocumentOrder(written, DocumentOrders.FieldPrefix, field, descending)
            : Error.Invalid("order", $"order '{StorableText.Quoted(written)}' is not one of {DocumentOrders.Syntax}.");
    }

    /// <summary>The ordered query, after the cursor when one is given; <paramref name="field"/> is the field named, read in the tenant's scope.</summary>
    public Outcome<KeyedDocuments> Apply(
        IQueryable<Document> documents, IQueryable<DocumentType> types, IQueryable<Correspondent> correspondents, CustomField? field, string? cursor) => Key switch
        {
            DocumentOrders.Title => Keyed(documents, d => d.Title, cursor, text => text),
            DocumentOrders.Date => Keyed(documents, d => d.DocumentDate, cursor, text => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
            DocumentOrders.Type => Keyed(documents, d => types.Where(t => t.Id == d.DocumentTypeId).Select(t => t.Name).FirstOrDefault(), cursor, text => text),
            DocumentOrders.Correspondent => Keyed(documents, d => correspondents.Where(c => c.Id == d.CorrespondentId).Select(c => c.Name).FirstOrDefault(), cursor, text => text),
            _ => ByField(documents, field!, cursor),
        };

    private Outcome<KeyedDocuments> ByField(IQueryable<Document> documents, CustomField field, string? cursor)
    {
        var id = field.Id;
        switch (field.Kind)
        {
            case FieldKind.Integer:
                return Keyed(documents, d => d.FieldValues.Where(v => v.FieldId == id).Select(v => v.Integer).FirstOrDefault(), cursor, text => (long?)long.Parse(text, CultureInfo.InvariantCulture));
            case FieldKind.Decimal or FieldKind.Monetary:
                return Keyed(documents, d => d.FieldValues.Where(v => v.FieldId == id).Select(v => v.Number).FirstOrDefault(), cursor, text => (decimal?)decimal.Parse(text, CultureInfo.InvariantCulture));
            case FieldKind.Date:
                return Keyed(documents, d => d.FieldValues.Where(v => v.FieldId == id).Select(v => v.Date).FirstOrDefault(), cursor, text => (DateOnly?)DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture));
            case FieldKind.Boolean:
                return Keyed(documents, d => d.FieldValues.Where(v => v.FieldId == id).Select(v => v.Boolean).FirstOrDefault(), cursor, text => (bool?)bool.Parse(text));
            case FieldKind.Select or FieldKind.MultiSelect:
                // A choice sorts by where its (first) option stands in the field's options, as people ordered them.
                var options = field.Options.Select(o => o.Id).ToArray();
                return Keyed(documents, d => d.FieldValues.Where(v => v.FieldId == id).Select(v => (int?)Array.IndexOf(options, v.Options![0])).FirstOrDefault(), cursor, text => (int?)int.Parse(text, CultureInfo.InvariantCulture));
            case FieldKind.DocumentLink:
                return Error.Invalid("order", $"Field '{field.Name}' links documents, which have no order: sort by another field.");
            default:
                return Keyed(documents, d => d.FieldValues.Where(v => v.FieldId == id).Select(v => v.Text).FirstOrDefault(), cursor, text => text);
        }
    }

    private Outcome<KeyedDocuments> Keyed<T>(IQueryable<Document> documents, Expression<Func<Document, T>> key, string? cursor, Func<string, T> read)
    {
        var document = key.Parameters[0];
        var value = key.Body;
        var missing = Expression.Equal(value, Expression.Constant(null, typeof(T)));
        if (cursor is not null)
        {
            if (ReadCursor(cursor, read) is not var (lastMissing, last, lastId))
            {
                return Error.Invalid("cursor", "cursor is not one this API gave out for this order.");
            }

            // After (missing, value, id) in the order (missing first false, then the value, then the id), as PostgreSQL
            // compares rows: the value and the id together, or the id alone (twice) among those without the value.
            var id = Expression.Property(document, nameof(Document.Id));
            Expression after = lastMissing
                ? Expression.AndAlso(missing, Lambdas.Inline(Beyond<Guid>(), id, id, Expression.Constant(lastId), Expression.Constant(lastId)))
                : Expression.OrElse(missing, Lambdas.Inline(Beyond<T>(), value, id, Expression.Constant(last, typeof(T)), Expression.Constant(lastId)));
            documents = documents.Where(Expression.Lambda<Func<Document, bool>>(after, document));
        }

        var ordered = documents.OrderBy(Expression.Lambda<Func<Document, bool>>(missing, document));
        ordered = Descending ? ordered.ThenByDescending(key).ThenByDescending(d => d.Id) : ordered.ThenBy(key).ThenBy(d => d.Id);
        return new KeyedDocuments(ordered.Select(Expression.Lambda<Func<Document, KeyedDocument>>(
            Expression.MemberInit(
                Expression.New(typeof(KeyedDocument)),
                Expression.Bind(typeof(KeyedDocument).GetProperty(nameof(KeyedDocument.Document))!, document),
                Expression.Bind(typeof(KeyedDocument).GetProperty(nameof(KeyedDocument.Key))!, Expression.Convert(value, typeof(object)))),
            document)), this);
    }

    /// <summary>(value, id) past (last value, last id) in this order's direction, as PostgreSQL compares rows (strings included).</summary>
    private Expression<Func<T, Guid, T, Guid, bool>> Beyond<T>() => Descending
        ? (value, id, last, lastId) => EF.Functions.LessThan(ValueTuple.Create(value, id), ValueTuple.Create(last, lastId))
        : (value, id, last, lastId) => EF.Functions.GreaterThan(ValueTuple.Create(value, id), ValueTuple.Create(last, lastId));

    /// <summary>The cursor after a page's last document: the order, whether it had the value, the value as text, its id.</summary>
    public string CursorAfter(KeyedDocument last) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join(Separator,
        Written, last.Key is null ? "1" : "0", last.Key switch
        {
            DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            var other => other?.ToString() ?? "",
        }, last.Document.Id.ToString())));

    private (bool Missing, T? Value, Guid Id)? ReadCursor<T>(string cursor, Func<string, T> read)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split(Separator);
            return parts is [var written, var missing and ("0" or "1"), var value, var id] && written == Written && Guid.TryParse(id, out var lastId)
                ? (missing == "1", missing == "1" ? default : read(value), lastId)
                : null;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return null;
        }
    }
}

/// <summary>A document with the value it is ordered by (for the next page's cursor).</summary>
public sealed class KeyedDocument
{
    public Document Document { get; init; } = default!;
    public object? Key { get; init; }
}

/// <summary>A listing in a <see cref="DocumentOrder"/>, each document with its key.</summary>
public sealed record KeyedDocuments(IQueryable<KeyedDocument> Query, DocumentOrder Order);
