using Dms.Contracts.Client;
using Dms.Contracts.Http;
using System.Globalization;
using Dms.Web.Account;
using Dms.Web.Components.Describing;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Dms.Web.Components.Pages;

public partial class Documents
{
    /// <summary>The statuses to filter by: every one but the trash's, which has its own page.</summary>
    private static readonly string[] Statuses = [.. DocumentStatuses.All.Where(s => s != DocumentStatuses.Deleted)];

    [CascadingParameter]
    private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> Authentication { get; set; } = default!;

    /// <summary>What a field filter's comparison says, as the list's form offers it.</summary>
    private static readonly (string Name, string Words)[] Comparisons =
    [
        ("eq", "is"), ("lt", "is before / under"), ("lte", "is until / at most"), ("gt", "is after / over"), ("gte", "is from / at least"),
        ("in", "is one of (commas)"), ("exists", "has a value"), ("missing", "has no value"),
    ];

    /// <summary>The orders the list offers beside newest first: by the added time, a key, or each field that has an order.</summary>
    private IEnumerable<(string Order, string Words)> Orders =>
    [
        (DocumentOrders.Oldest, "oldest first"), (DocumentOrders.Title, "title, A to Z"), ($"-{DocumentOrders.Date}", "date, latest first"),
        (DocumentOrders.Date, "date, earliest first"), (DocumentOrders.Type, "document type"), (DocumentOrders.Correspondent, "correspondent"),
        .. Entries.Fields.Where(f => f.DataType != FieldDataTypes.DocumentLink).Select(f => (Field: f, Words: Words.Directions(f.DataType))).SelectMany(f => new[]
        {
            ($"{DocumentOrders.FieldPrefix}{f.Field.Id}", $"{f.Field.Name}, {f.Words.Ascending}"),
            ($"{DocumentOrders.Descending}{DocumentOrders.FieldPrefix}{f.Field.Id}", $"{f.Field.Name}, {f.Words.Descending}"),
        }),
    ];

    /// <summary>A saved view's id: the list then applies its filters and shows its columns (until the form's filters are given).</summary>
    [Parameter]
    public Guid? ViewId { get; set; }

    [Inject]
    private Catalog Catalog { get; set; } = default!;

    [SupplyParameterFromQuery]
    private string? Status { get; set; }

    // The address's type, correspondent and dates are read as written and parsed here: a value that is no id or no
    // date is named in the page's alert, where a typed query parameter would fail the whole page.
    [SupplyParameterFromQuery(Name = "documentType")]
    private string? DocumentTypeWritten { get; set; }

    [SupplyParameterFromQuery(Name = "correspondent")]
    private string? CorrespondentWritten { get; set; }

    [SupplyParameterFromQuery(Name = "dateFrom")]
    private string? DateFromWritten { get; set; }

    [SupplyParameterFromQuery(Name = "dateTo")]
    private string? DateToWritten { get; set; }

    [SupplyParameterFromQuery(Name = "addedFrom")]
    private string? AddedFromWritten { get; set; }

    [SupplyParameterFromQuery(Name = "addedTo")]
    private string? AddedToWritten { get; set; }

    /// <summary>The first and last days (UTC) documents were added on.</summary>
    private DateOnly? AddedFrom { get; set; }

    private DateOnly? AddedTo { get; set; }

    private Guid? DocumentType { get; set; }

    private Guid? Correspondent { get; set; }

    private DateOnly? DateFrom { get; set; }

    private DateOnly? DateTo { get; set; }

    /// <summary>The field filters' rows: a field, a comparison and a value each (the API's FIELD:OP:VALUE).</summary>
    [SupplyParameterFromQuery(Name = "ff")]
    private string[]? FilterFields { get; set; }

    [SupplyParameterFromQuery(Name = "fo")]
    private string[]? FilterOps { get; set; }

    [SupplyParameterFromQuery(Name = "fv")]
    private string[]? FilterValues { get; set; }

    [SupplyParameterFromQuery]
    private string? Tag { get; set; }

    [SupplyParameterFromQuery]
    private string? ContentType { get; set; }

    /// <summary>The columns chosen in the form (a view's own otherwise); the title is always shown.</summary>
    [SupplyParameterFromQuery(Name = "columns")]
    private string[]? ColumnsWritten { get; set; }

    /// <summary><c>cards</c> shows the documents as cards with large thumbnails; anything else, a table.</summary>
    [SupplyParameterFromQuery]
    private string? Layout { get; set; }

    /// <summary><c>due</c>: only the documents their type's retention flagged for review.</summary>
    [SupplyParameterFromQuery]
    private string? Retention { get; set; }

    [SupplyParameterFromQuery]
    private string? Cursor { get; set; }

    [SupplyParameterFromQuery]
    private string? Order { get; set; }

    [SupplyParameterFromQuery]
    private string? Before { get; set; }

    private const string Tag_ = BulkActions.Tag;
    private const int MaxSelected = ApiLimits.MaxIdsPerRequest;
    private const string Trash = BulkActions.Trash;

    [SupplyParameterFromForm(FormName = "bulk")]
    private Guid[]? Selected { get; set; }

    /// <summary>The bulk action pressed: <c>tag</c> (add <see cref="BulkTags"/>) or <c>trash</c>.</summary>
    [SupplyParameterFromForm(FormName = "bulk")]
    private string? Act { get; set; }

    [SupplyParameterFromForm(FormName = "bulk")]
    private string? BulkTags { get; set; }

    [CascadingParameter]
    private HttpContext? HttpContext { get; set; }

    private string? Done { get; set; }

    private System.Security.Claims.ClaimsPrincipal User { get; set; } = new();

    private DocumentListResponse? Page { get; set; }

    private SavedViewResponse? View { get; set; }

    private Catalog.Entries Entries { get; set; } = new([], [], []);

    /// <summary>The field filters in force, written as the API takes them.</summary>
    private List<string> FieldFilters { get; set; } = [];

    private IReadOnlyList<string> BaseColumns { get; set; } = [ViewColumns.Title, ViewColumns.Status, ViewColumns.Type, ViewColumns.Correspondent, ViewColumns.DocumentDate, ViewColumns.FileType, ViewColumns.Size, ViewColumns.Added];

    /// <summary>The columns shown: the view's (or the list's), and a column for each field filtered by.</summary>
    private IReadOnlyList<string> Columns =>
        [.. BaseColumns, .. FieldFilters.Select(FieldFilterParts).Where(p => p is not null).Select(p => ViewColumns.FieldPrefix + p!.Value.Field).Distinct().Except(BaseColumns)];

    private string Path => ViewId is { } id ? $"/views/{id}" : "/documents";

    private const string CardsLayout = "cards";

    private bool Cards => Layout == CardsLayout;

    /// <summary>Whether the caller may change the view shown: their own, or a shared one when they administer the tenant.</summary>
    private bool CanChangeView => View is not null && (View.Shared ? User.CanAdminister() : View.Mine);

    /// <summary>On the start page (<c>/</c>), the views chosen for it, each with its first documents.</summary>
    private List<(SavedViewResponse View, DocumentListResponse? Documents)> StartViews { get; set; } = [];

    /// <summary>Every column the list can show, in the order the form offers them: the fixed ones, then each field.</summary>
    private IEnumerable<string> AllColumns => [.. ViewColumns.All, .. Entries.Fields.Select(f => ViewColumns.FieldPrefix + f.Id)];

    private int FieldRows => Math.Min(Math.Max(2, FieldFilters.Count + 1), 10);

    private bool Filtered => Status is not null || Tag is not null || ContentType is not null || DocumentType is not null || Correspondent is not null
        || DateFrom is not null || DateTo is not null || AddedFrom is not null || AddedTo is not null || FieldFilters.Count > 0;

    /// <summary>The filters every page link keeps.</summary>
    private (string Name, string? Value)[] KeptFilters =>
    [
        ("status", Status), ("tag", Tag), ("contentType", ContentType), ("order", Order), ("documentType", DocumentType?.ToString()), ("layout", Cards ? CardsLayout : null),
        ("correspondent", Correspondent?.ToString()), ("dateFrom", DateFrom?.ToString("yyyy-MM-dd")), ("dateTo", DateTo?.ToString("yyyy-MM-dd")),
        ("addedFrom", AddedFrom?.ToString("yyyy-MM-dd")), ("addedTo", AddedTo?.ToString("yyyy-MM-dd")),
        .. FieldFilters.SelectMany(f => FieldFilterParts(f) is var (id, op, value) ? new[] { ("ff", (string?)id.ToString()), ("fo", op), ("fv", value) } : []),
        .. (ColumnsWritten is { Length: > 0 } ? BaseColumns.Select(c => ("columns", (string?)c)) : []),
    ];

    private string? Problem { get; set; }

    protected override async Task OnInitializedAsync()
    {
        User = (await Authentication).User;
        if (User.CanOperate())
        {
            // An operator belongs to no tenant: their home is the operations page.
            Navigation.NavigateTo(Accounts.HomeOf(User));
            return;
        }

        (Status, Tag, ContentType, Order) = (Blank(Status), Blank(Tag), Blank(ContentType), Blank(Order));
        FieldFilters = ComposedFieldFilters();
        Problem = ParseAddress();
        if (Problem is not null)
        {
            return;
        }

        Entries = await Catalog.LoadAsync();
        if (ViewId is { } viewId)
        {
            View = (await Api.SavedViewsAsync(CancellationToken.None)).Value?.FirstOrDefault(v => v.Id == viewId);
            if (View is null)
            {
                Problem = "This view does not exist, or is not yours.";
                return;
            }

            BaseColumns = View.Columns;
            if (!new Uri(Navigation.Uri).Query.Contains('='))
            {
                var filters = View.Filters;
                (Status, Tag, ContentType, DocumentType, Correspondent, DateFrom, DateTo, AddedFrom, AddedTo, Order) =
                    (filters.Status, filters.Tag, filters.ContentType, filters.DocumentTypeId, filters.CorrespondentId, filters.DocumentDateFrom, filters.DocumentDateTo,
                     filters.AddedFrom, filters.AddedTo, View.Sort == DocumentOrders.Newest ? null : View.Sort);
                FieldFilters = [.. filters.Fields ?? []];
            }
        }
        else if (new Uri(Navigation.Uri).AbsolutePath == "/" && !Filtered)
        {
            StartViews = await StartViewsAsync();
        }

        var chosen = (ColumnsWritten ?? []).Distinct().Where(AllColumns.Contains).Take(ApiLimits.MaxViewColumns).ToList();
        if (chosen.Count > 0)
        {
            BaseColumns = [ViewColumns.Title, .. chosen.Where(c => c != ViewColumns.Title)];
        }

        await LoadAsync();
    }

    /// <summary>The caller's views chosen for the start page, each with its first five documents, read in parallel.</summary>
    private async Task<List<(SavedViewResponse, DocumentListResponse?)>> StartViewsAsync()
    {
        var views = ((await Api.SavedViewsAsync(CancellationToken.None)).Value ?? []).Where(v => v.OnStartPage).ToList();
        var pages = await Task.WhenAll(views.Select(v => Api.ListDocumentsAsync(QueryOf(v, 5), CancellationToken.None)));
        return [.. views.Zip(pages, (view, page) => (view, page.Value))];
    }

    /// <summary>The listing a view stands for: its filters and its order.</summary>
    private static DocumentListQuery QueryOf(SavedViewResponse view, int? limit) => new(
        view.Filters.Status, view.Filters.Tag, view.Filters.ContentType, Order: view.Sort, Limit: limit,
        CreatedFrom: StartOf(view.Filters.AddedFrom), CreatedTo: StartOf(view.Filters.AddedTo?.AddDays(1))?.AddTicks(-1), DocumentTypeId: view.Filters.DocumentTypeId,
        CorrespondentId: view.Filters.CorrespondentId, DocumentDateFrom: view.Filters.DocumentDateFrom, DocumentDateTo: view.Filters.DocumentDateTo,
        Fields: view.Filters.Fields);

    private async Task LoadAsync() =>
        (Page, Problem, _) = await Api.ListDocumentsAsync(
            new DocumentListQuery(Status, Tag, ContentType, Cursor, Order, CreatedFrom: StartOf(AddedFrom), CreatedTo: StartOf(AddedTo?.AddDays(1))?.AddTicks(-1),
                DocumentTypeId: DocumentType, CorrespondentId: Correspondent, DocumentDateFrom: DateFrom, DocumentDateTo: DateTo, Fields: FieldFilters,
                RetentionDue: Retention == "due"),
            CancellationToken.None);

    private static DateTimeOffset? StartOf(DateOnly? day) => day is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    /// <summary>Parses the address's type, correspondent and dates; the first that does not parse is named.</summary>
    private string? ParseAddress()
    {
        string? problem = null;
        DocumentType = Id(DocumentTypeWritten, "document type");
        Correspondent = Id(CorrespondentWritten, "correspondent");
        DateFrom = Date(DateFromWritten, "date from");
        DateTo = Date(DateToWritten, "date to");
        AddedFrom = Date(AddedFromWritten, "day added from");
        AddedTo = Date(AddedToWritten, "day added to");
        return problem;

        Guid? Id(string? written, string what) => Blank(written) is not { } value ? null
            : Guid.TryParse(value, out var id) ? id
            : Refuse<Guid>($"The {what} in the address ('{Words.Shown(value)}') is not one of the tenant's.");

        DateOnly? Date(string? written, string what) => Blank(written) is not { } value ? null
            : DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
            : Refuse<DateOnly>($"The {what} in the address ('{Words.Shown(value)}') is not a date: write it as 2026-12-31.");

        T? Refuse<T>(string refusal) where T : struct
        {
            problem ??= refusal;
            return null;
        }
    }

    /// <summary>The form's field filter rows as the API writes them; a row without a field is left out.</summary>
    private List<string> ComposedFieldFilters()
    {
        var (fields, ops, values) = (FilterFields ?? [], FilterOps ?? [], FilterValues ?? []);
        return fields.Select((field, i) => (Field: field, Op: i < ops.Length ? ops[i] : "eq", Value: i < values.Length ? values[i]?.Trim() ?? "" : ""))
            .Where(row => Guid.TryParse(row.Field, out _))
            .Select(row => row.Op is "exists" or "missing" ? $"{row.Field}:{row.Op}" : $"{row.Field}:{row.Op}:{row.Value}")
            .ToList();
    }

    private static (Guid Field, string Op, string Value)? FieldFilterParts(string written) =>
        written.Split(':', 3) is [var field, var op, .. var rest] && Guid.TryParse(field, out var id) ? (id, op, rest.FirstOrDefault() ?? "") : null;

    private (Guid? Field, string Op, string Value) FieldFilterAt(int row) =>
        row < FieldFilters.Count && FieldFilterParts(FieldFilters[row]) is var (field, op, value) ? (field, op, value) : (null, "eq", "");

    /// <summary>A column's kind for the styles (a phone keeps the title and the status): a field's columns are all "field".</summary>
    private static string ColumnKind(string column) => column.StartsWith(ViewColumns.FieldPrefix) ? "field" : column;

    private string ColumnName(string column) => column switch
    {
        ViewColumns.Title => "Title",
        ViewColumns.Type => "Document type",
        ViewColumns.Correspondent => "Correspondent",
        ViewColumns.DocumentDate => "Date",
        ViewColumns.Status => "Status",
        ViewColumns.Tags => "Tags",
        ViewColumns.FileType => "File type",
        ViewColumns.Size => "Size",
        ViewColumns.Added => "Added",
        _ when column.StartsWith(ViewColumns.FieldPrefix) && Guid.TryParse(column[ViewColumns.FieldPrefix.Length..], out var id) => Entries.Field(id)?.Name ?? "field",
        _ => column,
    };

    private string Cell(DocumentResponse document, string column) => column switch
    {
        ViewColumns.Type => Entries.TypeName(document.DocumentTypeId) ?? "",
        ViewColumns.Correspondent => Entries.CorrespondentName(document.CorrespondentId) ?? "",
        ViewColumns.DocumentDate => document.DocumentDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        ViewColumns.Tags => string.Join(", ", document.Tags),
        ViewColumns.FileType => Words.FileType(document.ContentType),
        ViewColumns.Size => Words.Size(document.SizeBytes),
        ViewColumns.Added => Words.Time(document.CreatedAt),
        _ when column.StartsWith(ViewColumns.FieldPrefix) && Guid.TryParse(column[ViewColumns.FieldPrefix.Length..], out var id)
            => document.Fields?.FirstOrDefault(v => v.FieldId == id) is { } value ? Catalog.Shown(value, Entries.Field(id)) : "",
        _ => "",
    };

    /// <summary>Saves the filters in force (and the columns shown) as a view of the caller's, or the tenant's when shared, and opens it.</summary>
    private async Task SaveViewAsync()
    {
        var form = HttpContext!.Request.Form;
        var filters = new SavedViewFilters(null, Status, Tag, ContentType, DocumentType, Correspondent, DateFrom, DateTo, FieldFilters, AddedFrom, AddedTo);
        var (view, problem, _) = await Api.SaveViewAsync(null, new SavedViewRequest(
            form["viewName"].ToString(), form["viewShared"] == "true" ? true : null, filters, Order ?? DocumentOrders.Newest, Columns), CancellationToken.None);
        if (view is not null)
        {
            Navigation.NavigateTo($"/views/{view.Id}");
        }

        Problem = problem;
    }

    /// <summary>
    /// Changes the view shown (its name, whether it is on the start page, and the filters, order and columns shown now)
    /// or removes it.
    /// </summary>
    private async Task ChangeViewAsync()
    {
        var form = HttpContext!.Request.Form;
        if (form["viewAct"] == "remove")
        {
            var (_, refused, _) = await Api.DeleteViewAsync(View!.Id, CancellationToken.None);
            if (refused is null)
            {
                Navigation.NavigateTo("/documents");
            }

            Problem = refused;
            return;
        }

        var filters = new SavedViewFilters(null, Status, Tag, ContentType, DocumentType, Correspondent, DateFrom, DateTo, FieldFilters, AddedFrom, AddedTo);
        var (view, problem, _) = await Api.SaveViewAsync(View!.Id, new SavedViewRequest(
            form["viewName"].ToString(), null, filters, Order ?? DocumentOrders.Newest, Columns, form["viewStart"] == "true"), CancellationToken.None);
        if (view is not null)
        {
            Navigation.NavigateTo($"/views/{view.Id}");
        }

        Problem = problem;
    }

    /// <summary>
    /// Tags or trashes the selected documents in one call to the API's bulk route; a refusal is named with its document,
    /// the others are done all the same. The list is then shown as it is now.
    /// </summary>
    private async Task BulkAsync()
    {
        var selected = (Selected ?? []).Distinct().ToArray();
        var tags = (BulkTags ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (selected.Length == 0 || selected.Length > MaxSelected || Act is not (Tag_ or Trash) || (Act == Tag_ && tags.Length == 0))
        {
            // A page shows 50; a post naming more was not made by it.
            Problem = selected.Length == 0 ? "Select the documents first."
                : selected.Length > MaxSelected ? $"Select at most {MaxSelected} documents at a time."
                : "Write the tags to add.";
            return;
        }

        var (answer, problem, _) = await Api.BulkAsync(new BulkRequest(Act, selected, tags), CancellationToken.None);
        if (answer is null)
        {
            Problem = problem;
            return;
        }

        var titles = Page?.Documents.ToDictionary(d => d.Id, d => d.Title) ?? [];
        var refused = answer.Items.Where(i => i.Problem is not null).Select(i => $"{titles.GetValueOrDefault(i.Id) ?? i.Id.ToString()}: {i.Problem}").ToList();
        Done = $"{answer.Succeeded} {(answer.Succeeded == 1 ? "document" : "documents")} {(Act == Trash ? "moved to the trash" : $"tagged {string.Join(", ", tags)}")}.";
        await LoadAsync();
        Problem = refused.Count == 0 ? Problem : string.Join(" ", refused);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
