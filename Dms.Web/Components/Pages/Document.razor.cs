using Dms.Contracts.Client;
using Dms.Contracts.Http;
using Microsoft.AspNetCore.Components;

namespace Dms.Web.Components.Pages;

public partial class Document
{
    private const int ShownCharacters = 20_000;

    /// <summary>The last page with an image (the API renders a PDF's pages when they are first shown).</summary>
    private const int MaxPage = ApiLimits.MaxPreviewPage;

    [Parameter]
    public Guid Id { get; set; }

    [SupplyParameterFromForm(FormName = "edit", Name = "Edit")]
    private EditModel? Posted { get; set; }

    private EditModel Edit => Posted ??= new EditModel { Title = Shown?.Title ?? "", Tags = string.Join(", ", Shown?.Tags ?? []) };

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
        var text = Shown.Status == DocumentStatuses.Ready ? Api.TextAsync(Id, cancellation) : Task.FromResult(new ApiAnswer<DocumentTextResponse>(null, null));
        Versions = (await versions).Value ?? [];
        Steps = (await steps).Value ?? [];
        Text = (await text).Value;
    }

    private async Task EditAsync()
    {
        var tags = (Edit.Tags ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        await AfterAsync(Api.EditDocumentAsync(Id, new UpdateDocumentRequest(Edit.Title ?? "", tags), CancellationToken.None));
    }

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

    private sealed class EditModel
    {
        public string? Title { get; set; }

        public string? Tags { get; set; }
    }
}
