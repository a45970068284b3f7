using Dms.Contracts.Client;
using Dms.Contracts.Http;
using Dms.Web.Account;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Dms.Web.Components.Pages;

public partial class Documents
{
    /// <summary>The statuses to filter by: every one but the trash's, which has its own page.</summary>
    private static readonly string[] Statuses = [.. DocumentStatuses.All.Where(s => s != DocumentStatuses.Deleted)];

    [CascadingParameter]
    private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> Authentication { get; set; } = default!;

    [SupplyParameterFromQuery]
    private string? Status { get; set; }

    [SupplyParameterFromQuery]
    private string? Tag { get; set; }

    [SupplyParameterFromQuery]
    private string? ContentType { get; set; }

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

    private string? Done { get; set; }

    private System.Security.Claims.ClaimsPrincipal User { get; set; } = new();

    private DocumentListResponse? Page { get; set; }

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
        await LoadAsync();
    }

    private async Task LoadAsync() =>
        (Page, Problem, _) = await Api.ListDocumentsAsync(new DocumentListQuery(Status, Tag, ContentType, Cursor, Order), CancellationToken.None);

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
