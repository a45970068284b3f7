using System.Globalization;
using System.Text.Json;
using Dms.Contracts.Http;
using Microsoft.AspNetCore.Http;

namespace Dms.Web.Components.Describing;

/// <summary>
/// The custom fields of a posted form (inputs named <c>field-ID</c>, see <c>FieldInput</c>) as the API's edit takes
/// them: each value in JSON by its data type, an emptied one as null (removed), an unchanged one left out. The API
/// checks every value; this only writes it the way the API reads it.
/// </summary>
public static class FieldForm
{
    public static string InputName(Guid fieldId) => $"field-{fieldId}";

    public static Dictionary<Guid, JsonElement> Read(IFormCollection form, IEnumerable<CustomFieldResponse> fields, IReadOnlyList<FieldValueItem> current)
    {
        var changes = new Dictionary<Guid, JsonElement>();
        foreach (var field in fields)
        {
            if (!form.TryGetValue(InputName(field.Id), out var posted))
            {
                continue;
            }

            var had = current.FirstOrDefault(v => v.FieldId == field.Id);
            var written = field.DataType == FieldDataTypes.MultiSelect
                ? string.Join(",", posted.Where(p => !string.IsNullOrWhiteSpace(p)))
                : posted.ToString().Trim();
            if (written == Catalog.Written(had))
            {
                continue;
            }

            changes[field.Id] = written.Length == 0 ? JsonSerializer.SerializeToElement<object?>(null) : Json(field.DataType, written);
        }

        return changes;
    }

    private static JsonElement Json(string dataType, string written) => dataType switch
    {
        FieldDataTypes.Integer when long.TryParse(written, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole) => JsonSerializer.SerializeToElement(whole),
        FieldDataTypes.Boolean when bool.TryParse(written, out var flag) => JsonSerializer.SerializeToElement(flag),
        FieldDataTypes.MultiSelect => JsonSerializer.SerializeToElement(written.Split(',', StringSplitOptions.RemoveEmptyEntries)),
        // Anything else as text: decimals, amounts and dates are read from text by the API, which names what is wrong.
        _ => JsonSerializer.SerializeToElement(written),
    };
}
