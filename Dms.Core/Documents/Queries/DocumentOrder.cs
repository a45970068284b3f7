using System.Buffers.Text;
using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Dms.Common;
using Dms.Contracts.Http;
using Dms.Fields;
using Dms.Persistence;
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
/// <remarks>
/// A page is read in two steps: the documents with the value, joined to it and ordered by it (PostgreSQL reads a
/// field's (tenant, field, value) index in order and stops at the page's end), then, when the page is not full, those
/// without it by id. One query ordering by "has no value" first could use no index and sorted every document.
/// </remarks>
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

    /// <summary>One page of <paramref name="documents"/> (the tenant's) in this order, after the cursor; <paramref name="field"/> is the field named, read in the tenant's scope.</summary>
    public Task<Outcome<DocumentPage>> ReadPageAsync(
        Guid tenantId, IQueryable<Document> documents, DmsDbContext db, CustomField? field, string? cursor, int limit, CancellationToken cancellationToken) => Key switch
        {
            DocumentOrders.Title => PageAsync(documents.Select(d => new KeyedDocument<string?> { Document = d, Key = d.Title }), null, cursor, text => text, limit, cancellationToken),
            DocumentOrders.Date => PageAsync(
                documents.Where(d => d.DocumentDate != null).Select(d => new KeyedDocument<DateOnly?> { Document = d, Key = d.DocumentDate }),
                documents.Where(d => d.DocumentDate == null), cursor, ReadDate, limit, cancellationToken),
            DocumentOrders.Type => PageAsync(
                documents.Join(db.DocumentTypes, d => d.DocumentTypeId, t => t.Id, (d, t) => new KeyedDocument<string?> { Document = d, Key = t.Name }),
                documents.Where(d => d.DocumentTypeId == null), cursor, text => text, limit, cancellationToken),
            DocumentOrders.Correspondent => PageAsync(
                documents.Join(db.Correspondents, d => d.CorrespondentId, c => c.Id, (d, c) => new KeyedDocument<string?> { Document = d, Key = c.Name }),
                documents.Where(d => d.CorrespondentId == null), cursor, text => text, limit, cancellationToken),
            _ => ByFieldAsync(tenantId, documents, db, field!, cursor, limit, cancellationToken),
        };

    private Task<Outcome<DocumentPage>> ByFieldAsync(
        Guid tenantId, IQueryable<Document> documents, DmsDbContext db, CustomField field, string? cursor, int limit, CancellationToken cancellationToken)
    {
        var id = field.Id;
        // The tenant named as well as enforced (as the list does for documents), so the (tenant, field, value) index
        // gives the values in order.
        var values = db.FieldValues.Where(v => v.TenantId == tenantId && v.FieldId == id);
        var without = documents.Where(d => !d.FieldValues.Any(v => v.FieldId == id));
        switch (field.Kind)
        {
            case FieldKind.Integer:
                return PageAsync(documents.Join(values, d => d.Id, v => v.DocumentId, (d, v) => new KeyedDocument<long?> { Document = d, Key = v.Integer }),
                    without, cursor, text => long.Parse(text, CultureInfo.InvariantCulture), limit, cancellationToken);
            case FieldKind.Decimal or FieldKind.Monetary:
                return PageAsync(documents.Join(values, d => d.Id, v => v.DocumentId, (d, v) => new KeyedDocument<decimal?> { Document = d, Key = v.Number }),
                    without, cursor, text => decimal.Parse(text, CultureInfo.InvariantCulture), limit, cancellationToken);
            case FieldKind.Date:
                return PageAsync(documents.Join(values, d => d.Id, v => v.DocumentId, (d, v) => new KeyedDocument<DateOnly?> { Document = d, Key = v.Date }),
                    without, cursor, ReadDate, limit, cancellationToken);
            case FieldKind.Boolean:
                return PageAsync(documents.Join(values, d => d.Id, v => v.DocumentId, (d, v) => new KeyedDocument<bool?> { Document = d, Key = v.Boolean }),
                    without, cursor, text => bool.Parse(text), limit, cancellationToken);
            case FieldKind.Select or FieldKind.MultiSelect:
                // A choice sorts by where its (first) option stands in the field's options, as people ordered them.
                var options = field.Options.Select(o => o.Id).ToArray();
                return PageAsync(
                    documents.Join(values, d => d.Id, v => v.DocumentId, (d, v) => new KeyedDocument<int?> { Document = d, Key = Array.IndexOf(options, v.Options![0]) }),
                    without, cursor, text => int.Parse(text, CultureInfo.InvariantCulture), limit, cancellationToken);
            case FieldKind.DocumentLink:
                return Task.FromResult<Outcome<DocumentPage>>(Error.Invalid("order", $"Field '{field.Name}' links documents, which have no order: sort by another field."));
            default:
                return PageAsync(documents.Join(values, d => d.Id, v => v.DocumentId, (d, v) => new KeyedDocument<string?> { Document = d, Key = v.Text }),
                    without, cursor, text => text, limit, cancellationToken);
        }
    }

    /// <param name="valued">The documents with the value, each with it.</param>
    /// <param name="without">The documents without it (null: every document has one).</param>
    private async Task<Outcome<DocumentPage>> PageAsync<T>(
        IQueryable<KeyedDocument<T>> valued, IQueryable<Document>? without, string? cursor, Func<string, T> read, int limit, CancellationToken cancellationToken)
    {
        (bool Missing, T? Value, Guid Id)? after = null;
        if (cursor is not null && (after = ReadCursor(cursor, read)) is null)
        {
            return Error.Invalid("cursor", "cursor is not one this API gave out for this order.");
        }

        var rows = new List<(Document Document, object? Key)>();
        if (after is not { Missing: true })
        {
            if (after is (_, var last, var lastId))
            {
                var row = Expression.Parameter(typeof(KeyedDocument<T>), "row");
                var beyond = Lambdas.Inline(Beyond<T>(), Expression.Property(row, nameof(KeyedDocument<T>.Key)),
                    Expression.Property(Expression.Property(row, nameof(KeyedDocument<T>.Document)), nameof(Document.Id)),
                    Expression.Constant(last, typeof(T)), Expression.Constant(lastId));
                valued = valued.Where(Expression.Lambda<Func<KeyedDocument<T>, bool>>(beyond, row));
            }

            var ordered = Descending
                ? valued.OrderByDescending(r => r.Key).ThenByDescending(r => r.Document.Id)
                : valued.OrderBy(r => r.Key).ThenBy(r => r.Document.Id);
            rows.AddRange((await ordered.Take(limit + 1).ToListAsync(cancellationToken)).Select(r => (r.Document, (object?)r.Key)));
        }

        if (rows.Count <= limit && without is not null)
        {
            if (after is (true, _, var lastId))
            {
                without = Descending ? without.Where(d => EF.Functions.LessThan(ValueTuple.Create(d.Id, 0), ValueTuple.Create(lastId, 0)))
                    : without.Where(d => EF.Functions.GreaterThan(ValueTuple.Create(d.Id, 0), ValueTuple.Create(lastId, 0)));
            }

            var ordered = Descending ? without.OrderByDescending(d => d.Id) : without.OrderBy(d => d.Id);
            rows.AddRange((await ordered.Take(limit + 1 - rows.Count).ToListAsync(cancellationToken)).Select(d => (d, (object?)null)));
        }

        return new DocumentPage([.. rows.Take(limit).Select(r => r.Document)], rows.Count > limit ? CursorAfter(rows[limit - 1]) : null);
    }

    /// <summary>(value, id) past (last value, last id) in this order's direction, as PostgreSQL compares rows (strings included).</summary>
    private Expression<Func<T, Guid, T, Guid, bool>> Beyond<T>() => Descending
        ? (value, id, last, lastId) => EF.Functions.LessThan(ValueTuple.Create(value, id), ValueTuple.Create(last, lastId))
        : (value, id, last, lastId) => EF.Functions.GreaterThan(ValueTuple.Create(value, id), ValueTuple.Create(last, lastId));

    /// <summary>The cursor after a page's last document: the order, whether it had the value, the value as text, its id.</summary>
    private string CursorAfter((Document Document, object? Key) last) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join(Separator,
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

    private static DateOnly? ReadDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A document with the value it is ordered by.</summary>
public sealed class KeyedDocument<T>
{
    public Document Document { get; init; } = default!;
    public T? Key { get; init; }
}
