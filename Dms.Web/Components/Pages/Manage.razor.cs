using Dms.Contracts.Client;
using Dms.Contracts.Http;
using Dms.Web.Account;
using Dms.Web.Components.Describing;
using Microsoft.AspNetCore.Components;

namespace Dms.Web.Components.Pages;

/// <summary>The tenant's document types, custom fields and correspondents: listed for everyone, added and removed by whom the API allows.</summary>
public partial class Manage
{
    [Inject]
    private DmsApiClient Api { get; set; } = default!;

    [Inject]
    private Catalog Catalog { get; set; } = default!;

    [CascadingParameter]
    private HttpContext? HttpContext { get; set; }

    [CascadingParameter]
    private Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState> Authentication { get; set; } = default!;

    private Catalog.Entries Entries { get; set; } = new([], [], []);

    private bool Administers { get; set; }

    private bool Writes { get; set; }

    private string? Problem { get; set; }

    private string? Done { get; set; }

    protected override async Task OnInitializedAsync()
    {
        var user = (await Authentication).User;
        (Administers, Writes) = (user.CanAdminister(), user.CanWrite());
        Entries = await Catalog.LoadAsync(counts: true);
    }

    private string Posted(string name) => HttpContext!.Request.Form[name].ToString().Trim();

    private Task AddTypeAsync()
    {
        var form = HttpContext!.Request.Form;
        var required = form["typeRequired"].Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty).ToHashSet();
        // A field marked required is one the type has, ticked or not.
        var fields = form["typeField"].Concat(form["typeRequired"]).Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty).Distinct().Select(id => new DocumentTypeFieldItem(id, required.Contains(id))).ToList();
        return AfterAsync(Api.SaveDocumentTypeAsync(null, new DocumentTypeRequest(Posted("name"), Posted("description"), fields), CancellationToken.None),
            type => $"Added the type {type.Name}.");
    }

    private Task AddFieldAsync()
    {
        var dataType = Posted("dataType");
        var options = dataType is FieldDataTypes.Select or FieldDataTypes.MultiSelect
            ? Posted("options").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(label => new FieldOptionItem(null, label)).ToList()
            : null;
        return AfterAsync(Api.SaveCustomFieldAsync(null, new CustomFieldRequest(Posted("name"), dataType, options), CancellationToken.None),
            field => $"Added the field {field.Name}.");
    }

    private Task AddCorrespondentAsync() =>
        AfterAsync(Api.SaveCorrespondentAsync(null, new CorrespondentRequest(Posted("name")), CancellationToken.None), c => $"Added {c.Name}.");

    private Task DeleteTypeAsync(Guid id) => AfterAsync(Api.DeleteDocumentTypeAsync(id, CancellationToken.None), _ => "Removed the type.");

    private Task DeleteFieldAsync(Guid id) => AfterAsync(Api.DeleteCustomFieldAsync(id, CancellationToken.None), _ => "Removed the field.");

    private Task DeleteCorrespondentAsync(Guid id) => AfterAsync(Api.DeleteCorrespondentAsync(id, CancellationToken.None), _ => "Removed the correspondent.");

    /// <summary>Says what was done and shows the lists as they are now, or shows the API's refusal.</summary>
    private async Task AfterAsync<T>(Task<ApiAnswer<T>> change, Func<T, string> done)
    {
        var (value, problem, _) = await change;
        (Problem, Done) = (problem, problem is null ? done(value!) : null);
        Entries = await Catalog.ReloadAsync(counts: true);
    }
}
