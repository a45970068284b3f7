using Dms.Contracts.Client;
using Dms.Contracts.Http;
using Dms.Web.Account;
using Dms.Web.Components.Describing;
using Microsoft.AspNetCore.Components;

namespace Dms.Web.Components.Pages;

public partial class Document
{
    private const int ShownCharacters = 20_000;

    /// <summary>The last page with an image (the API renders a PDF's pages when they are first shown).</summary>
    private const int MaxPage = ApiLimits.MaxPreviewPage;

    [Parameter]
    public Guid Id { get; set; }

    /// <summary>The request whose form is read (the details form's inputs are named by the fields they edit).</summary>
    [CascadingParameter]
    private HttpContext? HttpContext { get; set; }

    [CascadingParameter]
    private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> Authentication { get; set; } = default!;

    private Catalog.Entries Entries { get; set; } = new([], [], []);

    private List<NoteResponse> Notes { get; set; } = [];

    /// <summary>The document's latest audit events (who viewed, downloaded, changed it).</summary>
    private List<AuditEventResponse> History { get; set; } = [];

    /// <summary>The legal holds in force on the document: while there are any, it cannot be trashed or deleted.</summary>
    private List<string> Holds { get; set; } = [];

    private bool Administers { get; set; }

    /// <summary>Who owns the document and whom it is shared with; the groups and (for admins) users it can be shared with.</summary>
    private PermissionsResponse? Permissions { get; set; }

    private List<GroupResponse> Groups { get; set; } = [];

    private List<UserResponse> Users { get; set; } = [];

    private DocumentResponse? Shown { get; set; }

    private List<VersionResponse> Versions { get; set; } = [];

    private List<ProcessingStepResponse> Steps { get; set; } = [];

    private DocumentTextResponse? Text { get; set; }

    private string? Problem { get; set; }

    private bool Downloadable => Versions.Any(v => v.Version == Shown?.CurrentVersion && v.Downloadable);

    protected override async Task OnInitializedAsync()
    {
        var cancellation = CancellationToken.None;
        var document = await Api.GetDocumentAsync(Id, cancellation);
        (Shown, Problem, _) = document;
        if (Shown is null)
        {
            return;
        }

        var versions = Api.VersionsAsync(Id, cancellation);
        var steps = Api.ProcessingAsync(Id, cancellation);
        var notes = Api.NotesAsync(Id, cancellation);
        var history = Api.HistoryAsync(Id, null, cancellation);
        var holds = Api.DocumentHoldsAsync(Id, cancellation);
        var permissions = Api.PermissionsAsync(Id, cancellation);
        var entries = Catalog.LoadAsync();
        var text = Shown.Status == DocumentStatuses.Ready ? Api.TextAsync(Id, cancellation) : Task.FromResult(new ApiAnswer<DocumentTextResponse>(null, null));
        Versions = (await versions).Value ?? [];
        Steps = (await steps).Value ?? [];
        Text = (await text).Value;
        Notes = (await notes).Value ?? [];
        History = (await history).Value?.Events ?? [];
        Holds = (await holds).Value ?? [];
        Entries = await entries;
        Administers = (await Authentication).User.CanAdminister();
        Permissions = (await permissions).Value;
        if (Permissions is { MayManage: true })
        {
            Groups = (await Api.GroupsAsync(cancellation)).Value ?? [];
            // Only admins list the tenant's users; an owner shares with groups.
            Users = Administers ? [.. ((await Api.UsersAsync(null, cancellation)).Value ?? []).Where(u => u.Enabled).OrderBy(u => u.Username, StringComparer.OrdinalIgnoreCase)] : [];
        }
    }

    private string Grantee(GrantItem grant) => grant.GroupId is null ? grant.Name ?? grant.UserId ?? "" : $"{grant.Name} (group)";

    /// <summary>Shares the document with one more user or group; the owner and the other grants stay.</summary>
    private Task ShareAsync()
    {
        var form = HttpContext!.Request.Form;
        var (user, group) = Principal(form["grantee"].ToString());
        var grant = new GrantItem(user, group, form["access"].ToString());
        return SetGrantsAsync([.. Permissions!.Grants.Where(g => g.UserId != grant.UserId || g.GroupId != grant.GroupId), grant]);
    }

    /// <summary>Gives the document to another user or a group; who it is shared with stays.</summary>
    private Task ChangeOwnerAsync()
    {
        var (user, group) = Principal(HttpContext!.Request.Form["owner"].ToString());
        return AfterAsync(Api.SetPermissionsAsync(Id, new PermissionsRequest(user, group, [.. Permissions!.Grants.Select(g => g with { Name = null })]), CancellationToken.None));
    }

    /// <summary>A choice of the permission forms' lists: <c>group:{id}</c> or <c>user:{subject}</c>.</summary>
    private static (string? User, Guid? Group) Principal(string choice) =>
        choice.StartsWith("group:", StringComparison.Ordinal) && Guid.TryParse(choice["group:".Length..], out var group)
            ? (null, group)
            : (choice.StartsWith("user:", StringComparison.Ordinal) ? choice["user:".Length..] : choice, null);

    private Task UnshareAsync(GrantItem grant) => SetGrantsAsync([.. Permissions!.Grants.Where(g => g != grant)]);

    private Task ShareWithEveryoneAsync() => SetGrantsAsync([]);

    private Task SetGrantsAsync(List<GrantItem> grants) => AfterAsync(Api.SetPermissionsAsync(Id, new PermissionsRequest(
        Permissions!.OwnerUserId, Permissions.OwnerGroupId, [.. grants.Select(g => g with { Name = null })]), CancellationToken.None));

    /// <summary>Title, tags, type, correspondent, date and the fields that changed, in one edit the API checks whole.</summary>
    private async Task SaveDetailsAsync()
    {
        var form = HttpContext!.Request.Form;
        var document = Shown!;
        var tags = form["tags"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Guid? type = Guid.TryParse(form["documentType"], out var t) ? t : null;
        Guid? correspondent = Guid.TryParse(form["correspondent"], out var c) ? c : null;
        DateOnly? date = DateOnly.TryParseExact(form["documentDate"].ToString(), "yyyy-MM-dd", out var d) ? d : null;
        var clear = new List<string>();
        if (type is null && document.DocumentTypeId is not null)
        {
            clear.Add("documentType");
        }

        if (correspondent is null && document.CorrespondentId is not null)
        {
            clear.Add("correspondent");
        }

        if (date is null && document.DocumentDate is not null)
        {
            clear.Add("documentDate");
        }

        var fields = FieldForm.Read(form, Entries.Fields, document.Fields ?? []);
        await AfterAsync(Api.EditDocumentAsync(Id, new UpdateDocumentRequest(
            form["title"].ToString(), tags, type == document.DocumentTypeId ? null : type, correspondent == document.CorrespondentId ? null : correspondent,
            date == document.DocumentDate ? null : date, fields.Count == 0 ? null : fields, clear.Count == 0 ? null : clear), CancellationToken.None));
    }

    /// <summary>Confirms the date the pipeline read in the text as the document's date.</summary>
    private Task UseSuggestedDateAsync() =>
        AfterAsync(Api.EditDocumentAsync(Id, new UpdateDocumentRequest(null, null, DocumentDate: Shown!.SuggestedDate), CancellationToken.None));

    private Task AddNoteAsync() => AfterAsync(Api.AddNoteAsync(Id, new NoteRequest(HttpContext!.Request.Form["note"].ToString()), CancellationToken.None));

    private Task DeleteNoteAsync(Guid noteId) => AfterAsync(Api.DeleteNoteAsync(Id, noteId, CancellationToken.None));

    private Task KeepAsync() => AfterAsync(Api.KeepPastRetentionAsync(Id, CancellationToken.None));

    private Task TrashAsync() => AfterAsync(Api.TrashAsync(Id, CancellationToken.None));

    private Task RestoreAsync() => AfterAsync(Api.RestoreAsync(Id, CancellationToken.None));

    private async Task PurgeAsync()
    {
        var answer = await Api.PurgeAsync(Id, CancellationToken.None);
        if (answer.Problem is null)
        {
            Navigation.NavigateTo("/documents");
        }

        Problem = answer.Problem?.Message;
    }

    /// <summary>A change the API made is shown by loading the page again; a refusal, in its words, on this one.</summary>
    private async Task AfterAsync<T>(Task<ApiAnswer<T>> change)
    {
        var answer = await change;
        if (answer.Problem is null)
        {
            Navigation.NavigateTo($"/documents/{Id}");
        }

        Problem = answer.Problem?.Message;
    }
}
