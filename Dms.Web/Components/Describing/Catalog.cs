using System.Globalization;
using System.Text.Json;
using Dms.Contracts.Client;
using Dms.Contracts.Http;

namespace Dms.Web.Components.Describing;

/// <summary>
/// The tenant's document types, custom fields and correspondents as a page shows them: loaded once a request (every
/// page that names a type or shows a field asks), with the names and the words for a field's value.
/// </summary>
public sealed class Catalog(DmsApiClient api)
{
    private Task<Entries>? _entries;

    public sealed record Entries(List<DocumentTypeResponse> Types, List<CustomFieldResponse> Fields, List<CorrespondentResponse> Correspondents)
    {
        public string? TypeName(Guid? id) => Types.FirstOrDefault(t => t.Id == id)?.Name;

        public string? CorrespondentName(Guid? id) => Correspondents.FirstOrDefault(c => c.Id == id)?.Name;

        public CustomFieldResponse? Field(Guid id) => Fields.FirstOrDefault(f => f.Id == id);

        /// <summary>The option of a select or multi-select field with <paramref name="optionId"/>, with its field.</summary>
        public (CustomFieldResponse Field, Guid OptionId, string Label)? Option(Guid optionId) =>
            Fields.SelectMany(f => f.Options.Where(o => o.Id == optionId).Select(o => (f, optionId, o.Label))).FirstOrDefault() is { f: not null } found ? found : null;

        /// <summary>The fields a form shows for a document of <paramref name="typeId"/>: the type's, in its order, then the others.</summary>
        public List<(CustomFieldResponse Field, bool OfType, bool Required)> FormFields(Guid? typeId)
        {
            var ofType = Types.FirstOrDefault(t => t.Id == typeId)?.Fields ?? [];
            var first = ofType.Select(f => (Field(f.FieldId), f.Required)).Where(f => f.Item1 is not null).Select(f => (f.Item1!, true, f.Required));
            return [.. first, .. Fields.Where(f => ofType.All(o => o.FieldId != f.Id)).Select(f => (f, false, false))];
        }
    }

    /// <param name="counts">With how many documents use each entry (the API reads them all to say: only the page that shows it asks).</param>
    public Task<Entries> LoadAsync(bool counts = false) => _entries ??= LoadOnceAsync(counts);

    /// <summary>The entries as they are now, after the page changed them.</summary>
    public Task<Entries> ReloadAsync(bool counts = false) => _entries = LoadOnceAsync(counts);

    private async Task<Entries> LoadOnceAsync(bool counts)
    {
        var (types, fields, correspondents) = (
            api.DocumentTypesAsync(CancellationToken.None, counts), api.CustomFieldsAsync(CancellationToken.None, counts), api.CorrespondentsAsync(CancellationToken.None, counts));
        return new Entries((await types).Value ?? [], (await fields).Value ?? [], (await correspondents).Value ?? []);
    }

    /// <summary>A value in words: an amount with its currency, an option by its label, yes or no.</summary>
    public static string Shown(FieldValueItem value, CustomFieldResponse? field) => value.DataType switch
    {
        FieldDataTypes.Monetary => $"{value.Value.GetProperty("currency").GetString()} {value.Value.GetProperty("amount").GetDecimal().ToString("N2", CultureInfo.InvariantCulture)}",
        FieldDataTypes.Boolean => value.Value.GetBoolean() ? "yes" : "no",
        FieldDataTypes.Select => Label(field, value.Value.GetString()),
        FieldDataTypes.MultiSelect => string.Join(", ", value.Value.EnumerateArray().Select(o => Label(field, o.GetString()))),
        FieldDataTypes.Integer or FieldDataTypes.Decimal => value.Value.GetDecimal().ToString("N", CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.'),
        _ => value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() ?? "" : value.Value.GetRawText(),
    };

    /// <summary>A value as a form's input holds it (what <see cref="FieldForm.Read"/> reads back).</summary>
    public static string Written(FieldValueItem? value) => value is null ? "" : value.DataType switch
    {
        FieldDataTypes.Monetary => $"{value.Value.GetProperty("currency").GetString()}{value.Value.GetProperty("amount").GetDecimal().ToString(CultureInfo.InvariantCulture)}",
        FieldDataTypes.Boolean => value.Value.GetBoolean() ? "true" : "false",
        FieldDataTypes.Integer or FieldDataTypes.Decimal => value.Value.GetDecimal().ToString(CultureInfo.InvariantCulture),
        FieldDataTypes.MultiSelect => string.Join(",", value.Value.EnumerateArray().Select(o => o.GetString())),
        _ => value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString() ?? "" : value.Value.GetRawText(),
    };

    private static string Label(CustomFieldResponse? field, string? id) => field?.Options.FirstOrDefault(o => o.Id?.ToString() == id)?.Label ?? id ?? "";
}
