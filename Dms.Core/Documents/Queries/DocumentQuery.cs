using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Dms.Common;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

/// <summary>A page of documents in the query's order, with the cursor of the next page (null on the last).</summary>
public sealed record DocumentPage(IReadOnlyList<Document> Documents, string? NextCursor);

/// <summary>
/// The filters, order and cursor of a document listing. Soft-deleted documents show only when asked for by status (or
/// by id). <paramref name="Order"/> is <c>newest</c> (the default) or <c>oldest</c>, both along the (tenant, created)
/// index, or another key (<see cref="DocumentOrder"/>); <paramref name="Ids"/> picks given documents (a page's live statuses in one call).
/// </summary>
public sealed record DocumentQuery(
    string? Status, string? Tag, string? ContentType, DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo, int? Limit, string? Cursor,
    string? Order = null, IReadOnlyList<Guid>? Ids = null, DocumentFacts? Facts = null)
{
    public const int DefaultLimit = 50;
    public const string Newest = Dms.Contracts.Http.DocumentOrders.Newest;
    public const string Oldest = Dms.Contracts.Http.DocumentOrders.Oldest;

    /// <summary>How many ids one listing may name.</summary>
    public const int MaxIds = Dms.Contracts.Http.ApiLimits.MaxIdsPerRequest;

    private bool OldestFirst => Order == Oldest;

    public Error? Validate(DocumentOptions limits)
    {
        if (Status is not null && !SnakeCaseNames<DocumentStatus>.All.Contains(Status))
        {
            return Error.Invalid("status", $"status must be one of {string.Join(", ", SnakeCaseNames<DocumentStatus>.All)}.");
        }

        if (Limit is < 1 || Limit > limits.MaxPageSize)
        {
            return Error.Invalid("limit", $"limit must be 1 to {limits.MaxPageSize}.");
        }

        if (DocumentOrder.Parse(Order).Error is { } badOrder)
        {
            return badOrder;
        }

        if (Ids is { Count: > MaxIds })
        {
            return Error.Invalid("ids", $"ids may name up to {MaxIds} documents.");
        }

        if (CreatedFrom > CreatedTo)
        {
            return Error.Invalid("created-range", "createdFrom must not be after createdTo.");
        }

        if (Facts?.Validate() is { } badFacts)
        {
            return badFacts;
        }

        return Cursor is not null && Order is (null or Newest or Oldest) && ParseCursor(Cursor) is null ? Error.Invalid("cursor", "cursor is not one this API gave out.") : null;
    }

    /// <summary>The documents the filters keep, in no order yet.</summary>
    /// <param name="fields">The field filters of <see cref="Facts"/>, read against the tenant's fields.</param>
    public IQueryable<Document> Filter(IQueryable<Document> documents, IReadOnlyList<Fields.FieldFilter>? fields = null)
    {
        if (Facts is { } facts)
        {
            documents = facts.Apply(documents, fields ?? []);
        }

        documents = (Status, Ids) switch
        {
            (not null, _) => documents.Where(d => d.Status == SnakeCaseNames<DocumentStatus>.Parse(Status)),
            (null, not null) => documents,
            _ => documents.Where(d => d.Status != DocumentStatus.Deleted),
        };
        if (Ids is not null)
        {
            var ids = Ids.ToArray();
            documents = documents.Where(d => ids.Contains(d.Id));
        }

        if (Tag is not null)
        {
            var tag = Tag.Trim().ToLowerInvariant();
            documents = documents.Where(d => d.Tags.Contains(tag));
        }

        if (ContentType is not null)
        {
            var contentType = ContentType.ToLowerInvariant();
            documents = documents.Where(d => d.ContentType == contentType);
        }

        // PostgreSQL's timestamptz is sent in UTC: a time given with another offset is the same instant in UTC.
        if (CreatedFrom?.ToUniversalTime() is { } from)
        {
            documents = documents.Where(d => d.CreatedAt >= from);
        }

        if (CreatedTo?.ToUniversalTime() is { } to)
        {
            documents = documents.Where(d => d.CreatedAt <= to);
        }

        return documents;
    }

    /// <summary>The filtered documents newest or oldest first (along the (tenant, created) index), after the cursor.</summary>
    public IQueryable<Document> InAddedOrder(IQueryable<Document> documents)
    {
        if (Cursor is not null && ParseCursor(Cursor) is var (createdAt, id))
        {
            documents = OldestFirst
                ? documents.Where(d => EF.Functions.GreaterThan(ValueTuple.Create(d.CreatedAt, d.Id), ValueTuple.Create(createdAt, id)))
                : documents.Where(d => EF.Functions.LessThan(ValueTuple.Create(d.CreatedAt, d.Id), ValueTuple.Create(createdAt, id)));
        }

        return OldestFirst
            ? documents.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id)
            : documents.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id);
    }

    /// <summary>An opaque cursor: the creation time and id of the last document of a page.</summary>
    public static string CursorAfter(Document last) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{last.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{last.Id}"));

    private static (DateTimeOffset CreatedAt, Guid Id)? ParseCursor(string cursor)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split(':');
            return parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks) && Guid.TryParse(parts[1], out var id)
                && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
                ? (new DateTimeOffset(ticks, TimeSpan.Zero), id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
