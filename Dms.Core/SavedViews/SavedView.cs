using Dms.Catalogs;
using Dms.Contracts.Http;

namespace Dms.SavedViews;

/// <summary>
/// A named list of documents: the filters it applies, its order and the columns it shows. A shared one is the whole
/// tenant's (its admins change it); any other is its owner's alone.
/// </summary>
public sealed class SavedView : ICatalogEntry
{
    public const int MaxPerOwner = 100;
    public const int MaxColumns = ApiLimits.MaxViewColumns;

    /// <summary>The longest order: a field's, named by its id or its name.</summary>
    public const int MaxSort = 256;

    public Guid Id { get; private set; }
    public Guid TenantId { get; private set; }
    public string OwnerSubject { get; private set; } = "";
    public string Name { get; private set; } = "";
    public bool Shared { get; private set; }
    public bool OnStartPage { get; private set; }
    public SavedViewFilters Filters { get; private set; } = new();
    public string Sort { get; private set; } = Documents.Queries.DocumentQuery.Newest;
    public List<string> Columns { get; private set; } = [.. ViewColumns.Default];
    public DateTimeOffset CreatedAt { get; private set; }

    public static SavedView Create(Guid tenantId, string ownerSubject, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(now), TenantId = tenantId, OwnerSubject = ownerSubject, CreatedAt = now };

    public void Change(string? name, bool? shared, SavedViewFilters? filters, string? sort, IReadOnlyList<string>? columns, bool? onStartPage)
    {
        Name = name ?? Name;
        Shared = shared ?? Shared;
        Filters = filters ?? Filters;
        Sort = sort ?? Sort;
        Columns = columns?.ToList() ?? Columns;
        OnStartPage = onStartPage ?? OnStartPage;
    }

    /// <summary>
    /// The listing the view stands for: its filters and its order, with the given status (the view's own being checked
    /// by whoever calls), a page's cursor and length, and optionally only the given documents. Days added are whole UTC days.
    /// </summary>
    public Documents.Queries.DocumentQuery Listing(string status, string? cursor, int limit, IReadOnlyList<Guid>? ids = null) =>
        new(status, Filters.Tag, Filters.ContentType, StartOf(Filters.AddedFrom), StartOf(Filters.AddedTo?.AddDays(1))?.AddTicks(-1), limit, cursor, Sort, ids,
            new Documents.Queries.DocumentFacts(Filters.DocumentTypeId, Filters.CorrespondentId, Filters.DocumentDateFrom, Filters.DocumentDateTo, Filters.Fields));

    private static DateTimeOffset? StartOf(DateOnly? day) => day is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    /// <summary>The views a user sees: the tenant's shared ones and their own.</summary>
    public static System.Linq.Expressions.Expression<Func<SavedView, bool>> SeenBy(string subject) => v => v.Shared || v.OwnerSubject == subject;

    /// <summary>Who may change it: its owner while it is theirs alone; an admin once it is shared.</summary>
    public bool ChangeableBy(string subject, bool administers) => Shared ? administers : OwnerSubject == subject;
}

/// <summary>Who is asking about saved views: their subject and whether they administer the tenant.</summary>
public sealed record ViewOwner(string Subject, bool Administers);
