using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Dms.Common;
using Microsoft.EntityFrameworkCore;

namespace Dms.Documents.Queries;

/// <summary>A page of documents, newest first, with the cursor of the next page (null on the last).</summary>
public sealed record DocumentPage(IReadOnlyList<Document> Documents, string? NextCursor);

/// <summary>The filters and cursor of a document listing. Soft-deleted documents show only when asked for by status.</summary>
public sealed record DocumentQuery(
    string? Status, string? Tag, string? ContentType, DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo, int? Limit, string? Cursor)
{
    public const int DefaultLimit = 50;

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

        if (CreatedFrom > CreatedTo)
        {
            return Error.Invalid("created-range", "createdFrom must not be after createdTo.");
        }

        return Cursor is not null && ParseCursor(Cursor) is null ? Error.Invalid("cursor", "cursor is not one this API gave out.") : null;
    }

    public IQueryable<Document> Apply(IQueryable<Document> documents)
    {
        documents = Status is null
            ? documents.Where(d => d.Status != DocumentStatus.Deleted)
            : documents.Where(d => d.Status == SnakeCaseNames<DocumentStatus>.Parse(Status));
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

        if (CreatedFrom is { } from)
        {
            documents = documents.Where(d => d.CreatedAt >= from);
        }

        if (CreatedTo is { } to)
        {
            documents = documents.Where(d => d.CreatedAt <= to);
        }

        if (Cursor is not null && ParseCursor(Cursor) is var (createdAt, id))
        {
            documents = documents.Where(d => EF.Functions.LessThan(ValueTuple.Create(d.CreatedAt, d.Id), ValueTuple.Create(createdAt, id)));
        }

        return documents.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id);
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
