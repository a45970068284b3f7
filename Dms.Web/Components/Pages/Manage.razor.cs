using Dms.Contracts.Client;
using Dms.Contracts.Http;
using Dms.Web.Account;
using Dms.Web.Components.Describing;
using Microsoft.AspNetCore.Components;

namespace Dms.Web.Components.Pages;

/// <summary>
/// The tenant's document types, custom fields and correspondents: listed for everyone, added, changed and removed by
/// whom the API allows. <c>?type=</c>, <c>?field=</c> or <c>?correspondent=</c> (an id) fills a form with one to change.
/// </summary>
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

    // The entry to change, named in the address as written: a value that names none is the page's add forms.
    [SupplyParameterFromQuery(Name = "type")]
    private string? TypeWritten { get; set; }

    [SupplyParameterFromQuery(Name = "field")]
    private string? FieldWritten { get; set; }

    [SupplyParameterFromQuery(Name = "correspondent")]
    private string? CorrespondentWritten { get; set; }

    private DocumentTypeResponse? EditedType => Guid.TryParse(TypeWritten, out var id) ? Entries.Types.FirstOrDefault(t => t.Id == id) : null;

    private CustomFieldResponse? EditedField => Guid.TryParse(FieldWritten, out var id) ? Entries.Field(id) : null;

    private CorrespondentResponse? EditedCorrespondent =>
        Guid.TryParse(CorrespondentWritten, out var id) ? Entries.Correspondents.FirstOrDefault(c => c.Id == id) : null;

    protected override async Task OnInitializedAsync()
    {
        var user = (await Authentication).User;
        (Administers, Writes) = (user.CanAdminister(), user.CanWrite());
        Entries = await Catalog.LoadAsync(counts: true);
    }

    private string Posted(string name) => HttpContext!.Request.Form[name].ToString().Trim();

    /// <summary>The entry a form changes (its hidden id), or null for a new one.</summary>
    private Guid? PostedId() => Guid.TryParse(Posted("id"), out var id) ? id : null;

    private Task SaveTypeAsync()
    {
        var form = HttpContext!.Request.Form;
        var required = form["typeRequired"].Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty).ToHashSet();
        // A field marked required is one the type has, ticked or not.
        var fields = form["typeField"].Concat(form["typeRequired"]).Select(v => Guid.TryParse(v, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty).Distinct().Select(id => new DocumentTypeFieldItem(id, required.Contains(id))).ToList();
        var id = PostedId();
        // No days: documents of the type are kept.
        var retention = int.TryParse(Posted("retentionDays"), out var days) ? new RetentionItem(days, Posted("retentionFrom"), Posted("retentionAction")) : null;
        var request = new DocumentTypeRequest(Posted("name"), Posted("description"), fields, retention, retention is null ? true : null);
        return AfterAsync(Api.SaveDocumentTypeAsync(id, request, CancellationToken.None),
            type => id is null ? $"Added the type {type.Name}." : $"Saved the type {type.Name}.");
    }

    /// <summary>
    /// A field as the form writes it: a choice's options are the existing ones kept by id under their (new) labels, an
    /// emptied one removed, and the new ones written with commas.
    /// </summary>
    private Task SaveFieldAsync()
    {
        var form = HttpContext!.Request.Form;
        var (id, dataType) = (PostedId(), Posted("dataType"));
        var kept = form.Keys.Where(k => k.StartsWith("option:", StringComparison.Ordinal) && Guid.TryParse(k["option:".Length..], out _))
            .Select(k => new FieldOptionItem(Guid.Parse(k["option:".Length..]), form[k].ToString().Trim())).Where(o => o.Label.Length > 0);
        var added = Posted("options").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(label => new FieldOptionItem(null, label));
        List<FieldOptionItem>? options = dataType is FieldDataTypes.Select or FieldDataTypes.MultiSelect ? [.. kept, .. added] : null;
        return AfterAsync(Api.SaveCustomFieldAsync(id, new CustomFieldRequest(Posted("name"), dataType, options, form["clearUnconvertible"] == "true" ? true : null), CancellationToken.None),
            field => id is null ? $"Added the field {field.Name}." : $"Saved the field {field.Name}.");
    }

    private Task SaveCorrespondentAsync()
    {
        var id = PostedId();
        return AfterAsync(Api.SaveCorrespondentAsync(id, new CorrespondentRequest(Posted("name")), CancellationToken.None),
            c => id is null ? $"Added {c.Name}." : $"Saved {c.Name}.");
    }

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
